package org.transformer4j.cli.commands;

import java.io.PrintWriter;

import org.transformer4j.api.Backends;
import org.transformer4j.api.Availability;
import org.transformer4j.api.BackendProvider;
import org.transformer4j.cli.inject.BackendSelection;

import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code t4j backends}: every provider on the class path, available or not, with its reason and device. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List the compute backends found, whether each can run here (and why not), and its device.")
public final class BackendsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Inject
    BackendSelection selection;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        for (BackendProvider provider : Backends.providers()) {
            Availability a = provider.availability();
            String marker = !provider.name().equals(selection.name()) ? ""
                    : selection.isDefault() ? "  (default)" : "  (selected by " + selection.source() + ")";
            out.printf("%-6s %s%s%n", provider.name(), a.available() ? "available" : "unavailable: " + a.reason(), marker);
            out.printf("       device: %s%n", provider.device().summary());
        }
        out.flush();
    }
}
