package io.iotpay.chain.evm.internal.events;

import java.util.List;
import java.util.Map;

/** Decodes raw logs of one contract into named events with named fields. */
public interface EventDecoder {

    /** A decoded event. */
    record Decoded(String name, Map<String, Object> fields) {
    }

    /**
     * @param topics the log topics (0x hex), topic 0 first
     * @param data the log data (0x hex)
     * @return the decoded event; unknown events are returned with the topic 0 as name and raw topics/data as fields
     */
    Decoded decode(List<String> topics, String data);

    /** A decoder that does not know any event. */
    static EventDecoder raw() {
        return (topics, data) -> new Decoded(topics.isEmpty() ? "anonymous" : topics.get(0),
                Map.of("topics", List.copyOf(topics), "data", data));
    }
}
