/**
 * The {@code kafka} queue: changes travel through a Kafka topic from one capture process to a consumer group of
 * workers. The capture side confirms a source position once the broker holds every change up to it; a worker's
 * batch commits its consumer offsets once it is flushed.
 *
 * <p>Exports nothing: the engine finds it through its provider, named {@code kafka}. kafka-clients has no module
 * descriptor; it is required by its automatic module name.
 */
module dev.flusso.queue.kafka {
    requires dev.flusso.api;
    requires kafka.clients;
    requires org.slf4j;

    provides dev.flusso.api.spi.QueueProvider with dev.flusso.queue.kafka.KafkaQueueProvider;
}
