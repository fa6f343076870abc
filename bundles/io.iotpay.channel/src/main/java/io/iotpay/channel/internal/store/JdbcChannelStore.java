package io.iotpay.channel.internal.store;

import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ChannelState;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.money.Asset;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SignatureScheme;

/**
 * {@link ChannelStore} over JDBC: SQLite (embedded default, WAL, {@code synchronous=FULL}), PostgreSQL (operators) and
 * H2 (measured only). All database work runs on one store thread that owns the connection; voucher commits waiting in
 * its queue are written in one transaction (group commit) and every caller is released only after that transaction
 * committed. Amounts are stored as 78-digit zero-padded decimal strings, so the SQL comparison of two amounts is the
 * numeric one on every database and the same SQL runs everywhere (except H2's upsert).
 */
public final class JdbcChannelStore implements ChannelStore {

    /** SQL dialect. */
    public enum Dialect {
        SQLITE, POSTGRESQL, H2
    }

    /** Opens a connection. */
    @FunctionalInterface
    public interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    private static final int MAX_BATCH = 1024;
    private static final String UPSERT_VOUCHER = "INSERT INTO iotpay_voucher(channel_id, role, cumulative, signature,"
            + " at_ms) VALUES (?,?,?,?,?) ON CONFLICT (channel_id, role) DO UPDATE SET cumulative = excluded.cumulative,"
            + " signature = excluded.signature, at_ms = excluded.at_ms"
            + " WHERE excluded.cumulative > iotpay_voucher.cumulative";
    private static final String MERGE_VOUCHER_H2 = "MERGE INTO iotpay_voucher t USING (VALUES (CAST(? AS VARCHAR),"
            + " CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS BIGINT)))"
            + " AS s(channel_id, role, cumulative, signature, at_ms)"
            + " ON t.channel_id = s.channel_id AND t.role = s.role"
            + " WHEN MATCHED AND s.cumulative > t.cumulative THEN UPDATE SET cumulative = s.cumulative,"
            + " signature = s.signature, at_ms = s.at_ms"
            + " WHEN NOT MATCHED THEN INSERT (channel_id, role, cumulative, signature, at_ms)"
            + " VALUES (s.channel_id, s.role, s.cumulative, s.signature, s.at_ms)";

    private static final String SESSION_COLUMNS = "session_id, role, channel_id, offer_json, peer, state, delivered,"
            + " base, meter, our_seq, peer_seq, last_out, updated_ms";
    private static final String UPSERT_SESSION = "INSERT INTO iotpay_session (" + SESSION_COLUMNS + ")"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (session_id, role) DO UPDATE SET"
            + " channel_id = excluded.channel_id, offer_json = excluded.offer_json, peer = excluded.peer,"
            + " state = excluded.state, delivered = excluded.delivered, base = excluded.base, meter = excluded.meter,"
            + " our_seq = excluded.our_seq, peer_seq = excluded.peer_seq, last_out = excluded.last_out,"
            + " updated_ms = excluded.updated_ms";
    private static final String MERGE_SESSION_H2 = "MERGE INTO iotpay_session (" + SESSION_COLUMNS + ")"
            + " KEY (session_id, role) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";

    private final Dialect dialect;
    private final Connection connection;
    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final Connection checkpointConnection;
    private final Thread checkpointer;
    private static final long CHECKPOINT_MS = 200;
    private volatile boolean closed;

    private sealed interface Task permits VoucherTask, SqlTask, CloseTask {
    }

    /** A batched write: a voucher (with an optional session record), or a session record alone. */
    private record VoucherTask(StoredVoucher voucher, SessionRecord session, CompletableFuture<Boolean> done)
            implements Task {
    }

    private record SqlTask(SqlWork<?> work, CompletableFuture<Object> done) implements Task {
    }

    private record CloseTask(CompletableFuture<Object> done) implements Task {
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Opens a store and creates its tables if needed.
     *
     * @throws StoreException if the database cannot be opened
     */
    public JdbcChannelStore(Dialect dialect, ConnectionFactory factory) {
        this.dialect = dialect;
        Connection cp = null;
        try {
            this.connection = factory.open();
            if (dialect == Dialect.SQLITE) {
                try (Statement s = connection.createStatement()) {
                    s.execute("PRAGMA journal_mode=WAL");
                    s.execute("PRAGMA synchronous=FULL");
                    s.execute("PRAGMA busy_timeout=5000");
                    // WAL checkpoints (copy to the database file + its fsync) run on their own connection and thread,
                    // not inside a voucher commit (see checkpoints())
                    s.execute("PRAGMA wal_autocheckpoint=0");
                }
            }
            connection.setAutoCommit(false);
            createSchema();
            if (dialect == Dialect.SQLITE) {
                cp = factory.open();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot open the " + dialect + " channel store: " + e.getMessage(), e);
        }
        this.checkpointConnection = cp;
        worker = new Thread(this::loop, "iotpay-store-" + dialect.name().toLowerCase());
        worker.setDaemon(true);
        worker.start();
        if (cp != null) {
            checkpointer = new Thread(this::checkpoints, "iotpay-store-checkpoint");
            checkpointer.setDaemon(true);
            checkpointer.start();
        } else {
            checkpointer = null;
        }
    }

    /**
     * SQLite only: copies committed WAL frames into the database file every {@value #CHECKPOINT_MS} ms (PASSIVE: never
     * blocks the writer), so the WAL stays small while commits only append and sync the WAL. Durability is the WAL's:
     * a frame is synced at its commit ({@code synchronous=FULL}); the checkpoint syncs the database file itself.
     */
    private void checkpoints() {
        try (Statement s = checkpointConnection.createStatement()) {
            while (!closed) {
                try {
                    Thread.sleep(CHECKPOINT_MS);
                } catch (InterruptedException e) {
                    break;
                }
                try {
                    s.execute("PRAGMA wal_checkpoint(PASSIVE)");
                } catch (SQLException e) {
                    // busy or closing: the next round tries again (SQLite also checkpoints when the last connection
                    // closes)
                }
            }
        } catch (SQLException e) {
            // statement could not be created: no background checkpoints; the WAL is checkpointed at close
        } finally {
            try {
                checkpointConnection.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
    }

    /** Embedded SQLite store in {@code file} (created if missing). */
    public static JdbcChannelStore sqlite(Path file) {
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        return new JdbcChannelStore(Dialect.SQLITE, () -> {
            org.sqlite.SQLiteConfig cfg = new org.sqlite.SQLiteConfig();
            cfg.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
            cfg.setSynchronous(org.sqlite.SQLiteConfig.SynchronousMode.FULL);
            cfg.setBusyTimeout(5000);
            return cfg.createConnection(url);
        });
    }

    /** PostgreSQL store ({@code jdbc:postgresql://host:port/db}). */
    public static JdbcChannelStore postgres(String url, String user, String password) {
        return new JdbcChannelStore(Dialect.POSTGRESQL, () -> {
            Properties p = new Properties();
            p.setProperty("user", user);
            if (password != null) {
                p.setProperty("password", password);
            }
            Connection c = new org.postgresql.Driver().connect(url, p);
            if (c == null) {
                throw new SQLException("not a PostgreSQL JDBC url: " + url);
            }
            return c;
        });
    }

    public Dialect dialect() {
        return dialect;
    }

    private void createSchema() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS iotpay_channel (channel_id VARCHAR(66) NOT NULL,"
                    + " role VARCHAR(8) NOT NULL, scheme VARCHAR(64) NOT NULL, contract VARCHAR(200) NOT NULL,"
                    + " payer VARCHAR(200) NOT NULL, payee VARCHAR(200) NOT NULL, asset VARCHAR(300) NOT NULL,"
                    + " asset_decimals INTEGER NOT NULL, asset_symbol VARCHAR(11) NOT NULL,"
                    + " deposit VARCHAR(78) NOT NULL, state VARCHAR(16) NOT NULL, updated_ms BIGINT NOT NULL,"
                    + " PRIMARY KEY (channel_id, role))");
            s.execute("CREATE TABLE IF NOT EXISTS iotpay_voucher (channel_id VARCHAR(66) NOT NULL,"
                    + " role VARCHAR(8) NOT NULL, cumulative VARCHAR(78) NOT NULL, signature VARCHAR(200) NOT NULL,"
                    + " at_ms BIGINT NOT NULL, PRIMARY KEY (channel_id, role))");
            s.execute("CREATE TABLE IF NOT EXISTS iotpay_session (session_id VARCHAR(64) NOT NULL,"
                    + " role VARCHAR(8) NOT NULL, channel_id VARCHAR(66) NOT NULL, offer_json VARCHAR(70000) NOT NULL,"
                    + " peer VARCHAR(200) NOT NULL, state VARCHAR(16) NOT NULL, delivered VARCHAR(78) NOT NULL,"
                    + " base VARCHAR(78) NOT NULL, meter VARCHAR(78) NOT NULL,"
                    + " our_seq BIGINT NOT NULL, peer_seq BIGINT NOT NULL, last_out VARCHAR(70000) NOT NULL,"
                    + " updated_ms BIGINT NOT NULL,"
                    + " PRIMARY KEY (session_id, role))");
        }
        connection.commit();
    }

    // ------------------------------------------------------------------ worker

    private void loop() {
        List<VoucherTask> batch = new ArrayList<>();
        Task pending = null;
        while (true) {
            Task t;
            try {
                t = pending != null ? pending : queue.take();
            } catch (InterruptedException e) {
                continue; // closing goes through CloseTask
            }
            pending = null;
            if (t instanceof VoucherTask vt) {
                batch.add(vt);
                Task next;
                while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
                    if (next instanceof VoucherTask nv) {
                        batch.add(nv);
                    } else {
                        pending = next;
                        break;
                    }
                }
                writeVouchers(batch);
                batch.clear();
            } else if (t instanceof SqlTask st) {
                try {
                    Object r = st.work().run(connection);
                    connection.commit();
                    st.done().complete(r);
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly();
                    st.done().completeExceptionally(new StoreException("store operation failed: "
                            + e.getMessage(), e));
                }
            } else if (t instanceof CloseTask ct) {
                Task rest;
                while ((rest = queue.poll()) != null) {
                    failTask(rest);
                }
                try {
                    connection.close();
                } catch (SQLException e) {
                    // closing anyway
                }
                ct.done().complete(null);
                return;
            }
        }
    }

    private static void failTask(Task t) {
        StoreException e = new StoreException("store is closed", null);
        if (t instanceof VoucherTask v) {
            v.done().completeExceptionally(e);
        } else if (t instanceof SqlTask s) {
            s.done().completeExceptionally(e);
        } else if (t instanceof CloseTask c) {
            c.done().complete(null);
        }
    }

    private void writeVouchers(List<VoucherTask> batch) {
        boolean[] results = new boolean[batch.size()];
        try (PreparedStatement pv = connection.prepareStatement(dialect == Dialect.H2 ? MERGE_VOUCHER_H2
                : UPSERT_VOUCHER);
                PreparedStatement ps = connection.prepareStatement(dialect == Dialect.H2 ? MERGE_SESSION_H2
                        : UPSERT_SESSION)) {
            for (int i = 0; i < batch.size(); i++) {
                VoucherTask t = batch.get(i);
                boolean ok = true;
                StoredVoucher v = t.voucher();
                if (v != null) {
                    pv.setString(1, v.channel().toHex());
                    pv.setString(2, v.role().name());
                    pv.setString(3, pad(v.cumulative()));
                    pv.setString(4, v.signature().toHex());
                    pv.setLong(5, v.at().toEpochMilli());
                    ok = pv.executeUpdate() > 0;
                }
                if (ok && t.session() != null) {
                    bindSession(ps, t.session());
                    ps.executeUpdate();
                }
                results[i] = ok;
            }
            connection.commit();
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).done().complete(results[i]);
            }
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            StoreException se = new StoreException("voucher commit failed: " + e.getMessage(), e);
            for (VoucherTask t : batch) {
                t.done().completeExceptionally(se);
            }
        }
    }

    private static void bindSession(PreparedStatement ins, SessionRecord r) throws SQLException {
        ins.setString(1, r.id().value());
        ins.setString(2, r.role().name());
        ins.setString(3, r.channel().toHex());
        ins.setString(4, r.offerJson());
        ins.setString(5, r.peer().toString());
        ins.setString(6, r.state().name());
        ins.setString(7, pad(r.delivered()));
        ins.setString(8, pad(r.base()));
        ins.setString(9, pad(r.meter()));
        ins.setLong(10, r.ourSeq());
        ins.setLong(11, r.peerSeq());
        ins.setString(12, r.lastOut());
        ins.setLong(13, r.updatedAt().toEpochMilli());
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // the original error is reported
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T run(SqlWork<T> work) {
        if (closed) {
            throw new StoreException("store is closed", null);
        }
        CompletableFuture<Object> f = new CompletableFuture<>();
        queue.add(new SqlTask(work, f));
        try {
            return (T) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException se) {
                throw se;
            }
            throw new StoreException(String.valueOf(e.getCause()), e.getCause());
        }
    }

    // ------------------------------------------------------------------ API

    @Override
    public CompletableFuture<Boolean> commitVoucherAsync(StoredVoucher voucher, SessionRecord session) {
        java.util.Objects.requireNonNull(voucher, "voucher");
        return enqueue(voucher, session);
    }

    private CompletableFuture<Boolean> enqueue(StoredVoucher voucher, SessionRecord session) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new StoreException("store is closed", null));
            return f;
        }
        queue.add(new VoucherTask(voucher, session, f));
        return f;
    }

    @Override
    public Optional<StoredVoucher> latestVoucher(ChannelId channel, SessionRole role) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT cumulative, signature, at_ms FROM iotpay_voucher"
                    + " WHERE channel_id = ? AND role = ?")) {
                ps.setString(1, channel.toHex());
                ps.setString(2, role.name());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new StoredVoucher(channel, role, new BigInteger(rs.getString(1)),
                            Signature.fromHex(rs.getString(2), SignatureScheme.SECP256K1_RECOVERABLE),
                            Instant.ofEpochMilli(rs.getLong(3))));
                }
            }
        });
    }

    @Override
    public void putChannel(ChannelRecord ch) {
        run(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM iotpay_channel WHERE channel_id = ?"
                    + " AND role = ?");
                    PreparedStatement ins = c.prepareStatement("INSERT INTO iotpay_channel (channel_id, role, scheme,"
                            + " contract, payer, payee, asset, asset_decimals, asset_symbol, deposit, state,"
                            + " updated_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
                del.setString(1, ch.id().toHex());
                del.setString(2, ch.role().name());
                del.executeUpdate();
                ins.setString(1, ch.id().toHex());
                ins.setString(2, ch.role().name());
                ins.setString(3, ch.scheme());
                ins.setString(4, ch.contract().toString());
                ins.setString(5, ch.payer().toString());
                ins.setString(6, ch.payee().toString());
                ins.setString(7, ch.asset().toCaip19());
                ins.setInt(8, ch.asset().decimals());
                ins.setString(9, ch.asset().symbol());
                ins.setString(10, pad(ch.deposit()));
                ins.setString(11, ch.state().name());
                ins.setLong(12, ch.updatedAt().toEpochMilli());
                ins.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<ChannelRecord> channel(ChannelId id, SessionRole role) {
        List<ChannelRecord> l = queryChannels(" WHERE channel_id = '" + id.toHex() + "' AND role = '" + role.name()
                + "'");
        return l.stream().findFirst();
    }

    @Override
    public List<ChannelRecord> channels() {
        return queryChannels("");
    }

    private List<ChannelRecord> queryChannels(String where) {
        // where is built only from hex ids and enum names above, never from peer input
        return run(c -> {
            List<ChannelRecord> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT channel_id, role, scheme,"
                    + " contract, payer, payee, asset, asset_decimals, asset_symbol, deposit, state, updated_ms"
                    + " FROM iotpay_channel" + where + " ORDER BY updated_ms")) {
                while (rs.next()) {
                    out.add(new ChannelRecord(ChannelId.parse(rs.getString(1)), SessionRole.valueOf(rs.getString(2)),
                            rs.getString(3), AccountId.parse(rs.getString(4)), AccountId.parse(rs.getString(5)),
                            AccountId.parse(rs.getString(6)),
                            Asset.parseCaip19(rs.getString(7), rs.getInt(8), rs.getString(9)),
                            new BigInteger(rs.getString(10)), ChannelState.valueOf(rs.getString(11)),
                            Instant.ofEpochMilli(rs.getLong(12))));
                }
            }
            return out;
        });
    }

    @Override
    public void putSession(SessionRecord r) {
        try {
            enqueue(null, java.util.Objects.requireNonNull(r, "session")).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException se) {
                throw se;
            }
            throw new StoreException(String.valueOf(e.getCause()), e.getCause());
        }
    }

    @Override
    public Optional<SessionRecord> session(SessionId id, SessionRole role) {
        return querySessions(" WHERE session_id = '" + id.value() + "' AND role = '" + role.name() + "'").stream()
                .findFirst();
    }

    @Override
    public List<SessionRecord> sessions() {
        return querySessions("");
    }

    private List<SessionRecord> querySessions(String where) {
        // where is built only from validated session ids ([A-Za-z0-9_-]) and enum names
        return run(c -> {
            List<SessionRecord> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + SESSION_COLUMNS
                    + " FROM iotpay_session" + where + " ORDER BY updated_ms")) {
                while (rs.next()) {
                    out.add(new SessionRecord(new SessionId(rs.getString(1)), SessionRole.valueOf(rs.getString(2)),
                            ChannelId.parse(rs.getString(3)), rs.getString(4), AccountId.parse(rs.getString(5)),
                            SessionState.valueOf(rs.getString(6)), new BigInteger(rs.getString(7)),
                            new BigInteger(rs.getString(8)), new BigInteger(rs.getString(9)), rs.getLong(10),
                            rs.getLong(11), rs.getString(12), Instant.ofEpochMilli(rs.getLong(13))));
                }
            }
            return out;
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (checkpointer != null) {
            checkpointer.interrupt();
            try {
                checkpointer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        CompletableFuture<Object> f = new CompletableFuture<>();
        queue.add(new CloseTask(f));
        f.join();
    }

    static String pad(BigInteger v) {
        if (v.signum() < 0 || v.bitLength() > 256) {
            throw new IllegalArgumentException("amount " + v + " is outside uint256");
        }
        return String.format("%078d", v);
    }
}
