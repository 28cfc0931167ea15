package dev.flusso.queue.kafka.internal;

import dev.flusso.api.FlussoException;
import dev.flusso.api.RetriableException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the changes and dead-letter topics when missing, and checks what it finds. */
final class Topics {

    private static final Logger LOG = LoggerFactory.getLogger(Topics.class);
    private static final long TIMEOUT_SECONDS = 60;

    private Topics() {
    }

    static void ensure(Admin admin, KafkaSettings settings) {
        ensure(admin, settings.topic(), settings.partitions(), settings.replicationFactor(), settings);
        ensure(admin, settings.deadLetterTopic(), 1, settings.replicationFactor(), settings);
    }

    private static void ensure(Admin admin, String topic, int partitions, short replication, KafkaSettings settings) {
        Map<String, KafkaFuture<TopicDescription>> found = admin.describeTopics(Set.of(topic)).topicNameValues();
        Optional<TopicDescription> existing = await(found.get(topic), "describe topic '" + topic + "'", settings);
        if (existing.isPresent()) {
            int actual = existing.get().partitions().size();
            if (topic.equals(settings.topic()) && actual != partitions) {
                LOG.info("topic '{}' has {} partitions ({} configured): kept as it is", topic, actual, partitions);
            }
            return;
        }
        NewTopic wanted = new NewTopic(topic, Optional.of(partitions), Optional.of(replication));
        try {
            await(admin.createTopics(List.of(wanted)).all(), "create topic '" + topic + "'", settings);
            LOG.info("created topic '{}' with {} partitions", topic, partitions);
        } catch (FlussoException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** {@return the future's value; empty when the topic is unknown} */
    private static <T> Optional<T> await(KafkaFuture<T> future, String what, KafkaSettings settings) {
        try {
            return Optional.ofNullable(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            if (e.getCause() instanceof TopicExistsException exists) {
                throw new FlussoException(what + " raced another process", exists);
            }
            throw new RetriableException("cannot " + what + " on Kafka at " + settings.bootstrapServers() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new RetriableException("cannot " + what + " on Kafka at " + settings.bootstrapServers() + " within "
                    + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlussoException("interrupted while trying to " + what, e);
        }
    }
}
