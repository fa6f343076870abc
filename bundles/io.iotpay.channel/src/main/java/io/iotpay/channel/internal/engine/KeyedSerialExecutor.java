package io.iotpay.channel.internal.engine;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Runs tasks submitted under the same key one after another in submission order, tasks of different keys in
 * parallel, on a shared executor (no thread per key). A key's queue exists only while it has work, so idle channels
 * cost nothing.
 */
public final class KeyedSerialExecutor {

    private final Executor executor;
    private final Map<Object, SerialQueue> queues = new ConcurrentHashMap<>();

    public KeyedSerialExecutor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Submits {@code task} under {@code key}. */
    public <T> CompletableFuture<T> submit(Object key, Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable r = () -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        };
        boolean[] start = new boolean[1];
        queues.compute(key, (k, q) -> {
            SerialQueue queue = q == null ? new SerialQueue(k) : q;
            queue.tasks.add(r);
            if (!queue.running) {
                queue.running = true;
                start[0] = true;
            }
            return queue;
        });
        if (start[0]) {
            executor.execute(queues.get(key));
        }
        return f;
    }

    /** Number of keys with queued or running work (for tests and monitoring). */
    public int activeKeys() {
        return queues.size();
    }

    private final class SerialQueue implements Runnable {
        private final Object key;
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        private boolean running; // guarded by queues.compute on this key

        SerialQueue(Object key) {
            this.key = key;
        }

        @Override
        public void run() {
            while (true) {
                Runnable[] next = new Runnable[1];
                queues.compute(key, (k, q) -> {
                    next[0] = tasks.poll();
                    if (next[0] == null) {
                        running = false;
                        return null; // drop the idle queue
                    }
                    return q;
                });
                if (next[0] == null) {
                    return;
                }
                next[0].run();
            }
        }
    }
}
