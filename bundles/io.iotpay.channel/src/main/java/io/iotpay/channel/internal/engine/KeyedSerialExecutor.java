package io.iotpay.channel.internal.engine;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
        return submitAsync(key, () -> CompletableFuture.completedFuture(task.call()));
    }

    /**
     * Submits a task that finishes asynchronously (e.g. it waits for a durable commit without holding a thread): the
     * next task of {@code key} starts only once the stage {@code task} returns has completed, so the key's order is
     * kept, while the executor's thread is free for other keys in the meantime.
     */
    public <T> CompletableFuture<T> submitAsync(Object key, Callable<? extends CompletionStage<T>> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Step r = () -> {
            CompletionStage<T> stage;
            try {
                stage = task.call();
            } catch (Throwable t) {
                f.completeExceptionally(t);
                return null;
            }
            CompletableFuture<T> cf = stage.toCompletableFuture();
            if (cf.isDone()) {
                complete(f, cf);
                return null;
            }
            // the queue waits for the stage; its completion resumes it on the executor
            return cf.whenComplete((v, t) -> complete(f, cf));
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

    private static <T> void complete(CompletableFuture<T> f, CompletableFuture<T> done) {
        try {
            f.complete(done.join());
        } catch (java.util.concurrent.CompletionException e) {
            f.completeExceptionally(e.getCause() == null ? e : e.getCause());
        } catch (Throwable t) {
            f.completeExceptionally(t);
        }
    }

    /** One task: null when it finished, or a stage the queue must wait for. */
    @FunctionalInterface
    private interface Step {
        CompletionStage<?> run();
    }

    /** Number of keys with queued or running work (for tests and monitoring). */
    public int activeKeys() {
        return queues.size();
    }

    private final class SerialQueue implements Runnable {
        private final Object key;
        private final ArrayDeque<Step> tasks = new ArrayDeque<>();
        private boolean running; // guarded by queues.compute on this key

        SerialQueue(Object key) {
            this.key = key;
        }

        @Override
        public void run() {
            while (true) {
                Step[] next = new Step[1];
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
                CompletionStage<?> pending = next[0].run();
                if (pending != null) {
                    // still "running": nothing else of this key starts until the stage is done
                    pending.whenComplete((v, t) -> executor.execute(this));
                    return;
                }
            }
        }
    }
}
