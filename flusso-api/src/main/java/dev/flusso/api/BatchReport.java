package dev.flusso.api;

import java.time.Duration;

/**
 * What one flushed batch did, for progress and metrics.
 *
 * @param changes changes in the batch
 * @param documents documents written
 * @param deletions documents deleted
 * @param rejections items rejected (built or refused), whatever policy handled them
 * @param backfill whether every change of the batch is a backfill snapshot row (a rebuild beside the live stream
 *     mixes both; such a batch counts as live)
 * @param highestVersion the newest version among the batch's changes
 * @param buildTime time spent resolving and building
 * @param flushTime time spent flushing, retries included
 */
public record BatchReport(
        int changes,
        int documents,
        int deletions,
        int rejections,
        boolean backfill,
        long highestVersion,
        Duration buildTime,
        Duration flushTime) {
}
