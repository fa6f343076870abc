package io.iotpay.channel.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class KeyedSerialExecutorTest {

    @Test
    void sameKeyRunsInOrderOneAtATimeOtherKeysInParallel() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            KeyedSerialExecutor ex = new KeyedSerialExecutor(pool);
            int keys = 50;
            int perKey = 200;
            Map<Integer, List<Integer>> seen = new ConcurrentHashMap<>();
            Map<Integer, AtomicInteger> inFlight = new ConcurrentHashMap<>();
            List<String> overlaps = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<Integer>> all = new ArrayList<>();
            for (int i = 0; i < perKey; i++) {
                for (int k = 0; k < keys; k++) {
                    int key = k;
                    int n = i;
                    all.add(ex.submit(key, () -> {
                        if (inFlight.computeIfAbsent(key, x -> new AtomicInteger()).incrementAndGet() != 1) {
                            overlaps.add(key + "/" + n);
                        }
                        seen.computeIfAbsent(key, x -> Collections.synchronizedList(new ArrayList<>())).add(n);
                        inFlight.get(key).decrementAndGet();
                        return n;
                    }));
                }
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertTrue(overlaps.isEmpty(), "tasks of one key overlapped: " + overlaps);
            for (int k = 0; k < keys; k++) {
                List<Integer> l = seen.get(k);
                for (int i = 0; i < perKey; i++) {
                    assertEquals(i, l.get(i));
                }
            }
            // the last task's future completes just before its queue notices it is idle and drops itself
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ex.activeKeys() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(0, ex.activeKeys(), "idle queues are dropped");

            // a blocked key does not block another key
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> blocked = ex.submit("a", () -> {
                release.await();
                return 1;
            });
            assertEquals(2, ex.submit("b", () -> 2).get(10, TimeUnit.SECONDS));
            release.countDown();
            assertEquals(1, blocked.get(10, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAsyncTaskHoldsItsKeyUntilItsStageCompletesButNoThread() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1); // one thread: a held thread would block "b"
        try {
            KeyedSerialExecutor ex = new KeyedSerialExecutor(pool);
            CompletableFuture<String> commit = new CompletableFuture<>();
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<String> first = ex.submitAsync("a", () -> {
                order.add("a1 started");
                return commit.thenApply(v -> {
                    order.add("a1 done");
                    return v;
                });
            });
            CompletableFuture<Integer> second = ex.submit("a", () -> {
                order.add("a2");
                return 2;
            });
            // another key runs on the only thread while "a" waits for its stage
            assertEquals(3, ex.submit("b", () -> 3).get(10, TimeUnit.SECONDS));
            assertEquals(List.of("a1 started"), List.copyOf(order));
            assertTrue(!second.isDone() && !first.isDone(), "a2 must wait for a1's stage");
            commit.complete("ok");
            assertEquals("ok", first.get(10, TimeUnit.SECONDS));
            assertEquals(2, second.get(10, TimeUnit.SECONDS));
            assertEquals(List.of("a1 started", "a1 done", "a2"), List.copyOf(order));

            // a failed stage fails its future with the cause, and the key goes on
            CompletableFuture<Object> failed = ex.submitAsync("a", () -> CompletableFuture.failedFuture(
                    new IllegalStateException("refused")));
            java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> failed.get(10, TimeUnit.SECONDS));
            assertEquals("refused", e.getCause().getMessage());
            assertEquals(4, ex.submit("a", () -> 4).get(10, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }
}
