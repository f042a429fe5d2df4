package org.transformer4j.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class QuickstartRecipeTest {

    /** The options quickstart prints are the recipe: t4j train given them trains exactly what quickstart trains. */
    @ParameterizedTest
    @ValueSource(doubles = {0.05, 5, 15, 30, 60})
    void thePrintedTrainOptionsAreTheRecipe(double minutes) {
        QuickstartRecipe recipe = QuickstartRecipe.forMinutes(minutes);
        List<String> args = new ArrayList<>(List.of("--src", "s", "--tgt", "t", "--model", "m"));
        args.addAll(Arrays.asList(recipe.trainOptions(minutes).split(" ")));
        TrainCommand train = new TrainCommand();
        new CommandLine(train).parseArgs(args.toArray(String[]::new));
        assertEquals(recipe.options(minutes, 1), train.trainingOptions.toOptions());
        assertEquals(recipe.config(4000), train.modelOptions.toConfig(4000, 4000));
        assertEquals(recipe.vocabSize(), train.vocabSize);
        assertEquals(recipe.nameSwap(), train.nameSwap);
    }

    /** Dropout where the measured runs support it (docs/quickstart.md): none up to 30 minutes, 0.1 at 60. */
    @Test
    void dropoutFollowsTheMeasuredBudgets() {
        assertEquals(0f, QuickstartRecipe.forMinutes(5).dropout());
        assertEquals(0f, QuickstartRecipe.forMinutes(30).dropout());
        assertEquals(0.1f, QuickstartRecipe.forMinutes(60).dropout());
    }

    /** Name swap where the measured runs support it (docs/training.md): off at 15 minutes, on at 60. */
    @Test
    void nameSwapFollowsTheMeasuredBudgets() {
        assertEquals(0, QuickstartRecipe.forMinutes(15).nameSwap());
        assertEquals(0, QuickstartRecipe.forMinutes(30).nameSwap());
        assertEquals(0.5, QuickstartRecipe.forMinutes(60).nameSwap());
        assertTrue(QuickstartRecipe.forMinutes(60).trainOptions(60).endsWith(" --name-swap 0.5"),
                QuickstartRecipe.forMinutes(60).trainOptions(60));
    }

    @Test
    void theBudgetTableIsBundledAndMarksThisRunsBudget() {
        QuickstartBudgets table = QuickstartBudgets.bundled();
        assertTrue(!table.rows().isEmpty(), "the bundled table has measured rows");
        assertTrue(table.measuredOn().contains("2 cores"), table.measuredOn());
        StringWriter text = new StringWriter();
        table.print(new PrintWriter(text, true), table.rows().getFirst().minutes());
        assertEquals(1, text.toString().lines().filter(l -> l.endsWith("<- this budget")).count(), text.toString());
        assertEquals(table.rows().size(), text.toString().lines().filter(l -> l.startsWith("  --minutes")).count());
    }

    @Test
    void parsesTheTable() {
        QuickstartBudgets t = QuickstartBudgets.parse("# comment\n# measured on: here\n5\t900\t3.25\t24.5\n15\t2700\t8\t33\n");
        assertEquals("here", t.measuredOn());
        assertEquals(List.of(new QuickstartBudgets.Row(5, 900, 3.25, 24.5), new QuickstartBudgets.Row(15, 2700, 8, 33)),
                t.rows());
    }
}
