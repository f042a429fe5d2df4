package org.transformer4j.cli.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.transformer4j.cli.errors.CliException;
import org.transformer4j.cli.errors.ExitCodes;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A YAML config file (as OpenNMT and Marian use) holding default values for any option of any command.
 *
 * <pre>
 * backend: cpu            # top level: applies to every command that has the option
 * threads: 2
 * train:                  # a section named after a command applies to that command only
 *   batch-tokens: 4096    # "batch_tokens" works too
 * bench:
 *   ops:
 *     repeat: 5
 * </pre>
 *
 * Keys are option names without their dashes. A key that is no option of any command is an error, so
 * that a typo never goes unnoticed. Flags on the command line always win over the file.
 */
public final class ConfigFile {

    private static final ConfigFile EMPTY = new ConfigFile(null, Map.of());

    private final Path path;
    private final Map<String, Object> root;

    private ConfigFile(Path path, Map<String, Object> root) {
        this.path = path;
        this.root = root;
    }

    public static ConfigFile empty() {
        return EMPTY;
    }

    /**
     * The value of {@code --config} in raw arguments ({@code --config F} or {@code --config=F}; the last one
     * wins), or null. The file must be known before picocli parses, because its values are picocli's defaults.
     */
    public static Path pathFrom(String[] args) {
        Path found = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                break;
            }
            if (a.equals("--config") && i + 1 < args.length) {
                found = Path.of(args[++i]);
            } else if (a.startsWith("--config=")) {
                found = Path.of(a.substring("--config=".length()));
            }
        }
        return found;
    }

    /** Reads a config file; {@code null} gives the empty config. Any problem is a one-line {@link CliException}. */
    public static ConfigFile load(Path path) {
        if (path == null) {
            return EMPTY;
        }
        if (!Files.isRegularFile(path)) {
            throw new CliException(ExitCodes.USAGE, "config file " + path + " not found");
        }
        Object parsed;
        try {
            parsed = new ObjectMapper(new YAMLFactory()).readValue(path.toFile(), Object.class);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new CliException(ExitCodes.USAGE, "config file " + path + " is not valid YAML" + where + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "config file " + path + " cannot be read: " + e.getMessage());
        }
        if (parsed == null) {
            return new ConfigFile(path, Map.of());
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new CliException(ExitCodes.USAGE, "config file " + path
                    + " must be a mapping of option names to values (key: value lines)");
        }
        return new ConfigFile(path, normalise(map));
    }

    public Path path() {
        return path;
    }

    /** The top-level {@code backend} value, or null. */
    public String backend() {
        Object value = root.get("backend");
        return value == null ? null : scalar(value);
    }

    /**
     * The configured value of option {@code key} for the command at {@code commandPath} (subcommand names
     * below the root, e.g. {@code ["bench", "ops"]}): the deepest section that has it wins.
     */
    public String value(List<String> commandPath, String key) {
        String name = normaliseKey(key);
        Object found = root.get(name);
        Map<String, Object> section = root;
        for (String command : commandPath) {
            if (!(section.get(command) instanceof Map<?, ?> next)) {
                break;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) next;
            section = typed;
            Object v = section.get(name);
            if (v != null) {
                found = v;
            }
        }
        return found == null ? null : scalar(found);
    }

    /** Fails with a one-line message naming the first key that is no option of any command it could apply to. */
    public void validate(CommandSpec rootCommand) {
        validate(root, rootCommand, "");
    }

    private void validate(Map<String, Object> section, CommandSpec command, String where) {
        Set<String> options = optionKeys(command);
        Map<String, CommandLine> subcommands = command.subcommands();
        for (Map.Entry<String, Object> e : section.entrySet()) {
            String key = e.getKey();
            if (subcommands.containsKey(key) && e.getValue() instanceof Map<?, ?> sub) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) sub;
                validate(typed, subcommands.get(key).getCommandSpec(), where + key + ".");
            } else if (!options.contains(key)) {
                String scope = where.isEmpty() ? "any t4j command" : "'" + command.qualifiedName(" ") + "'";
                throw new CliException(ExitCodes.USAGE, "config file " + path + ": '" + where + key
                        + "' is not an option of " + scope + " (options are written without dashes, e.g. 'threads: 2')");
            }
        }
    }

    /** The option names (without dashes) of {@code command} and every command below it. */
    private static Set<String> optionKeys(CommandSpec command) {
        Set<String> keys = new TreeSet<>();
        for (OptionSpec option : command.options()) {
            for (String name : option.names()) {
                if (name.startsWith("--")) {
                    keys.add(normaliseKey(name));
                }
            }
        }
        for (CommandLine sub : command.subcommands().values()) {
            keys.addAll(optionKeys(sub.getCommandSpec()));
        }
        return keys;
    }

    /** {@code --batch_tokens}, {@code batch_tokens} and {@code batch-tokens} are one key. */
    public static String normaliseKey(String key) {
        String k = key.startsWith("--") ? key.substring(2) : key;
        return k.replace('_', '-');
    }

    private static Map<String, Object> normalise(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object v = e.getValue();
            out.put(normaliseKey(String.valueOf(e.getKey())), v instanceof Map<?, ?> m ? normalise(m) : v);
        }
        return out;
    }

    /** A YAML value as picocli expects it: lists become comma-separated, maps {@code k=v} pairs. */
    private static String scalar(Object value) {
        if (value instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object o : list) {
                parts.add(String.valueOf(o));
            }
            return String.join(",", parts);
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }
}
