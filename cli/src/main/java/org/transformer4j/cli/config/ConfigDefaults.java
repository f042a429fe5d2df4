package org.transformer4j.cli.config;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Makes a {@link ConfigFile} picocli's source of default values, so that flags on the command line win over
 * the file, and {@code --help} shows the configured values. {@code --backend} is not taken from here: its
 * order (flag, then {@code T4J_BACKEND}, then the file) is applied by
 * {@link org.transformer4j.cli.inject.BackendSelection}.
 */
public final class ConfigDefaults implements IDefaultValueProvider {

    private final ConfigFile config;

    public ConfigDefaults(ConfigFile config) {
        this.config = config;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || !option.longestName().startsWith("--")) {
            return null;
        }
        String key = ConfigFile.normaliseKey(option.longestName());
        if (key.equals("backend") || key.equals("config")) {
            return null;
        }
        return config.value(commandPath(option.command()), key);
    }

    /** The subcommand names from below the root down to {@code command}. */
    private static List<String> commandPath(CommandSpec command) {
        List<String> path = new ArrayList<>();
        for (CommandSpec c = command; c != null && c.parent() != null; c = c.parent()) {
            path.addFirst(c.name());
        }
        return path;
    }
}
