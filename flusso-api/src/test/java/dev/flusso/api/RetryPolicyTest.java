package dev.flusso.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.spi.RetryStreak;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final RetryPolicy POLICY =
            new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMinutes(10));

    @Test
    void backsOffDoublingUpToTheCapWithJitterBetweenHalfAndAll() {
        assertEquals(Duration.ofMillis(200), POLICY.ceiling(1));
        assertEquals(Duration.ofMillis(400), POLICY.ceiling(2));
        assertEquals(Duration.ofMillis(6400), POLICY.ceiling(6));
        assertEquals(Duration.ofSeconds(10), POLICY.ceiling(7));
        assertEquals(Duration.ofSeconds(10), POLICY.ceiling(1000));
        boolean varies = false;
        for (int i = 0; i < 200; i++) {
            Duration wait = POLICY.backoff(7);
            assertTrue(wait.toMillis() >= 5000 && wait.toMillis() <= 10_000, "a wait after the cap: " + wait);
            varies |= !wait.equals(POLICY.backoff(7));
        }
        assertTrue(varies, "the waits are jittered");
    }

    @Test
    void givesUpAfterItsTimeOrItsAttempts() {
        assertFalse(POLICY.givesUp(1_000_000, Duration.ofMinutes(9)), "no attempt bound by default");
        assertTrue(POLICY.givesUp(1, Duration.ofMinutes(10)));
        RetryPolicy fiveTimes = new RetryPolicy(5, Duration.ZERO, Duration.ZERO, Duration.ofHours(1));
        assertFalse(fiveTimes.givesUp(4, Duration.ZERO));
        assertTrue(fiveTimes.givesUp(5, Duration.ZERO));
        assertEquals("after 10 min", POLICY.bound());
        assertEquals("after 5 attempts or 60 min", fiveTimes.bound());
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO));
    }

    @Test
    void aStreakTellsTheObserverEachFailureAndTheRecoveryAndGivesUpByTheWaitsItHandedOut() {
        List<String> told = new ArrayList<>();
        Observer observer = new Observer() {
            @Override
            public void retrying(String step, int failedAttempt, Duration failingFor, Duration wait, RuntimeException cause) {
                told.add(step + " failed " + failedAttempt);
            }

            @Override
            public void recovered(String step, int failedAttempts, Duration outage) {
                told.add(step + " recovered after " + failedAttempts);
            }
        };
        RetryStreak streak = new RetryStreak("flush", POLICY, observer);
        streak.failed(new RetriableException("down"));
        streak.failed(new RetriableException("down"));
        streak.succeeded();
        streak.succeeded();
        assertEquals(List.of("flush failed 1", "flush failed 2", "flush recovered after 2"), told);

        // Nobody sleeps here: the waits handed out still add up to the ten minutes.
        int failures = 0;
        FlussoException given = null;
        while (given == null) {
            try {
                streak.failed(new RetriableException("still down"));
                failures++;
            } catch (FlussoException e) {
                given = e;
            }
        }
        assertTrue(failures > 60 && failures < 130, "ten minutes of waits of 5 to 10 s: " + failures);
        assertTrue(given.getMessage().startsWith("flush failed " + (failures + 1) + " times in ")
                && given.getMessage().endsWith("last error: still down"), given.getMessage());
        assertTrue(given.getCause() instanceof RetriableException, "the last failure is the cause");
    }
}
