package org.transformer4j.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.transformer4j.api.Backends;
import org.transformer4j.cli.commands.AverageCommand;
import org.transformer4j.cli.commands.BackendsCommand;
import org.transformer4j.cli.commands.BenchCommand;
import org.transformer4j.cli.commands.EvalCommand;
import org.transformer4j.cli.commands.TranslateCommand;
import org.transformer4j.cli.commands.IllustrateCommand;
import org.transformer4j.cli.commands.InfoCommand;
import org.transformer4j.cli.commands.InitCommand;
import org.transformer4j.cli.commands.QuickstartCommand;
import org.transformer4j.cli.commands.ReportCommand;
import org.transformer4j.cli.commands.ScoreCommand;
import org.transformer4j.cli.commands.TrainCommand;
import org.transformer4j.cli.commands.VocabCommand;
import org.transformer4j.cli.config.ConfigDefaults;
import org.transformer4j.cli.config.ConfigFile;
import org.transformer4j.cli.errors.Errors;
import org.transformer4j.cli.errors.ExitCodes;
import org.transformer4j.cli.inject.BackendModule;
import org.transformer4j.cli.inject.BackendSelection;
import org.transformer4j.cli.inject.OpenedBackends;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * {@code t4j}: the command line, and the composition root. The order of events for every command:
 * <ol>
 *   <li>read the config file named by {@code --config}, whose values become picocli's defaults;</li>
 *   <li>parse the arguments;</li>
 *   <li>decide the backend (flag, {@code T4J_BACKEND}, config file, {@code cpu}) and check its name;</li>
 *   <li>build the Guice injector, inject the command, run it, close the backends it opened;</li>
 *   <li>map any failure to one line on stderr and an exit code ({@link Errors}).</li>
 * </ol>
 */
@Command(name = "t4j",
        mixinStandardHelpOptions = true,
        versionProvider = T4j.Version.class,
        usageHelpAutoWidth = true,
        description = "transformer4j: train, run and inspect the Transformer of \"Attention Is All You Need\" on the"
                + " compute backend of your choice.",
        footer = {"", "Exit codes: 0 done, 1 failed (bad data, unavailable backend...), 2 bad command line or config."},
        subcommands = {QuickstartCommand.class, VocabCommand.class, TrainCommand.class, AverageCommand.class, TranslateCommand.class,
                EvalCommand.class, IllustrateCommand.class, ReportCommand.class, InfoCommand.class,
                InitCommand.class, ScoreCommand.class, BackendsCommand.class, BenchCommand.class, HelpCommand.class})
public final class T4j implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--backend", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Compute backend: cpu (default), nd4j or cuda. Else T4J_BACKEND, else the config file's"
                    + " 'backend' key, else cpu.")
    String backend;

    @Option(names = "--threads", scope = ScopeType.INHERIT, paramLabel = "N", defaultValue = "0",
            description = "Host compute threads; 0 means one per processor (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = {"-B", "--backend-option"}, scope = ScopeType.INHERIT, paramLabel = "KEY=VALUE",
            description = "A backend-specific setting, e.g. simd=false for cpu; repeatable.")
    Map<String, String> backendOptions;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "YAML file of default values for any option of any command; flags win over it.")
    Path config;

    @Option(names = "--stacktrace", scope = ScopeType.INHERIT,
            description = "Print the full stack trace of an error.")
    boolean stacktrace;

    /** {@code t4j} alone prints the list of commands. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err, System.getenv()));
    }

    /** Runs one command line and returns its exit code; the seam the tests use. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        boolean stacktrace = java.util.Arrays.asList(args).contains("--stacktrace");
        try {
            ConfigFile configFile = ConfigFile.load(ConfigFile.pathFrom(args));
            CommandLine cli = new CommandLine(new T4j());
            cli.setOut(out);
            cli.setErr(err);
            configFile.validate(cli.getCommandSpec());
            cli.setDefaultValueProvider(new ConfigDefaults(configFile));
            cli.setParameterExceptionHandler((e, a) -> {
                err.println("t4j: " + e.getMessage());
                err.println("Run 't4j " + commandName(e.getCommandLine()) + "--help' for usage.");
                err.flush();
                return ExitCodes.USAGE;
            });
            cli.setExecutionStrategy(parsed -> {
                try {
                    return execute(parsed, configFile, env);
                } catch (RuntimeException | Error e) {
                    // picocli would turn these into exit code 1 with a stack trace; ours are one line.
                    return Errors.report(e, err, stacktrace);
                }
            });
            cli.setExecutionExceptionHandler((e, c, p) -> Errors.report(e, err, stacktrace));
            int code = cli.execute(args);
            out.flush();
            return code;
        } catch (RuntimeException | Error e) {
            return Errors.report(e, err, stacktrace);
        }
    }

    private static String commandName(CommandLine c) {
        String q = c.getCommandSpec().qualifiedName(" ");
        return q.equals("t4j") ? "" : q.substring("t4j ".length()) + " ";
    }

    private static int execute(ParseResult parsed, ConfigFile configFile, Map<String, String> env) {
        Integer helpExit = CommandLine.executeHelpRequest(parsed);
        if (helpExit != null) {
            return helpExit;
        }
        T4j root = (T4j) parsed.commandSpec().userObject();
        BackendSelection selection = BackendSelection.resolve(root.backend, env.get(BackendSelection.ENV),
                        configFile.backend(), BackendSelection.options(root.threads, root.backendOptions))
                .requireKnown(Backends.names());
        try (OpenedBackends opened = new OpenedBackends()) {
            Injector injector = Guice.createInjector(Stage.DEVELOPMENT, new BackendModule(selection, opened));
            CommandLine leaf = leaf(parsed);
            injector.injectMembers(leaf.getCommand());
            return new CommandLine.RunLast().execute(parsed);
        }
    }

    private static CommandLine leaf(ParseResult parsed) {
        ParseResult p = parsed;
        while (p.hasSubcommand()) {
            p = p.subcommand();
        }
        return p.commandSpec().commandLine();
    }

    /** The version from the jar manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = T4j.class.getPackage().getImplementationVersion();
            return new String[] {"transformer4j " + (v == null ? "development build" : v),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"};
        }
    }
}
