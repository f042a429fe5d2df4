package org.transformer4j.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BudgetScheduleTest {

    private final BudgetSchedule linear = new BudgetSchedule(BudgetSchedule.Shape.LINEAR, 2e-3, 100);
    private final BudgetSchedule cosine = new BudgetSchedule(BudgetSchedule.Shape.COSINE, 2e-3, 100);

    @Test
    void warmsUpLinearlyToThePeak() {
        assertEquals(2e-5, linear.rate(1, 1, 0.0), 1e-12);
        assertEquals(1e-3, linear.rate(50, 50, 0.01), 1e-12);
        assertEquals(2e-3, linear.rate(100, 100, 0.0), 1e-12);
    }

    @Test
    void decaysToZeroWhenTheBudgetIsSpent() {
        assertEquals(2e-3 * 0.25, linear.rate(5000, 5000, 0.75), 1e-12);
        assertEquals(0, linear.rate(9999, 9999, 1.0), 1e-15);
        assertEquals(1e-3, cosine.rate(5000, 5000, 0.5), 1e-12);
        assertEquals(2e-3 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), cosine.rate(5000, 5000, 0.25), 1e-12);
        assertEquals(0, cosine.rate(9999, 9999, 1.0), 1e-15);
    }

    @Test
    void theDecayStartsAtThePeakWhereWarmUpEnded() {
        // Warm-up took a quarter of the budget: the rate falls from the peak over the remaining three quarters.
        assertEquals(2e-3, linear.rate(101, 101, 0.25, 0.25), 1e-12);
        assertEquals(1e-3, linear.rate(300, 300, 0.625, 0.25), 1e-12);
        assertEquals(1e-3, cosine.rate(300, 300, 0.625, 0.25), 1e-12);
        assertEquals(0, linear.rate(400, 400, 1.0, 0.25), 1e-15);
    }

    @Test
    void aCooldownHoldsThePeakThenDecaysInTheLastShare() {
        BudgetSchedule wsd = new BudgetSchedule(BudgetSchedule.Shape.LINEAR, 2e-3, 100, 0.2);
        assertEquals(2e-3, wsd.rate(500, 500, 0.5, 0.1), 1e-12);
        assertEquals(2e-3, wsd.rate(800, 800, 0.82, 0.1), 1e-12); // q = 0.8: the cooldown starts here
        assertEquals(1e-3, wsd.rate(900, 900, 0.91, 0.1), 1e-12); // q = 0.9: half way down
        assertEquals(0, wsd.rate(999, 999, 1.0, 0.1), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new BudgetSchedule(BudgetSchedule.Shape.LINEAR, 1e-3, 10, 0));
    }

    @Test
    void theCycleStepNotTheTotalStepDrivesTheWarmUp() {
        // A second time-budgeted run starts a new cycle: it warms up again although the model has trained for long.
        assertEquals(2e-5, linear.rate(20_001, 1, 0.0), 1e-12);
    }

    @Test
    void warmUpIsARampWhateverTheBudget() {
        assertEquals(2e-3 * 0.8, linear.rate(80, 80, 0.9), 1e-12);
    }

    @Test
    void theNoamScheduleIgnoresTheBudget() {
        NoamSchedule noam = new NoamSchedule(1, 512, 4000);
        assertEquals(noam.rate(123), noam.rate(123, 7, 0.9), 0);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new BudgetSchedule(BudgetSchedule.Shape.LINEAR, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new BudgetSchedule(BudgetSchedule.Shape.LINEAR, 1e-3, 0));
        assertThrows(IllegalArgumentException.class, () -> linear.rate(1, 0, 0));
    }
}
