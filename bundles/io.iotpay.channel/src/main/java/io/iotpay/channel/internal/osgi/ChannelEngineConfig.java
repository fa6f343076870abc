package io.iotpay.channel.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the channel engine, PID {@code io.iotpay.channel}. */
@ObjectClassDefinition(name = "IOTPAY channel engine", description = "Payment channels and metered sessions")
public @interface ChannelEngineConfig {

    @AttributeDefinition(description = "JDBC URL of the store. Empty: embedded SQLite file "
            + "${karaf.data}/iotpay/channel/channels.db. jdbc:postgresql://host:port/db for PostgreSQL; "
            + "jdbc:sqlite:<file> for another SQLite file.")
    String jdbcUrl() default "";

    @AttributeDefinition(description = "Database user (PostgreSQL)")
    String user() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Database password (PostgreSQL)")
    String password() default "";

    @AttributeDefinition(description = "Wallet alias or address that receives payments and signs provider messages;"
            + " empty: the wallet's first account on the offer's chain")
    String providerAccount() default "";

    @AttributeDefinition(description = "This node's peer endpoint as published in offers; empty: "
            + "http://127.0.0.1:<org.osgi.service.http.port>/iotpay/peer")
    String endpoint() default "";

    @AttributeDefinition(description = "Meter tick and consumer poll period in milliseconds (real time)")
    long tickMs() default 1000;

    @AttributeDefinition(description = "Simulated clock speed-up of the devices sold here (1 = real time); the credit"
            + " window projects tickMs x clockSpeed of simulated time ahead. Set it equal to the simulated plug's.")
    long clockSpeed() default 1;

    @AttributeDefinition(description = "How often new vouchers are claimed on chain, in seconds; 0 = only when a "
            + "session stops and on demand (iotpay:channel-close)")
    long settleIntervalSeconds() default 3600;

    @AttributeDefinition(description = "Open deadline of new channels, seconds after now (the salt's low 64 bits)")
    long openWindowSeconds() default 600;

    @AttributeDefinition(description = "How long to wait for a transaction, in seconds")
    long txTimeoutSeconds() default 60;

    @AttributeDefinition(description = "How long a published offer holds, in seconds")
    long offerValiditySeconds() default 86400;

    @AttributeDefinition(description = "Peer trust: off (no certificates) or certificate (offers and sessions need a "
            + "peer certificate that the device PKI verifies as VALID for the peer's account; docs/protocol.md)")
    String peerTrust() default "off";

    @AttributeDefinition(description = "Device id whose certificate (iotpay:cert-issue) this node presents with "
            + "peerTrust=certificate; it must be issued for the node's payee / payer account")
    String certificateDevice() default "";

    @AttributeDefinition(description = "Seconds an admitted session's certificate check holds before it is verified "
            + "again")
    long peerRecheckSeconds() default 60;

    @AttributeDefinition(description = "Port of the peer endpoint over mutual TLS (0: off). With a port, peer "
            + "requests (offers, messages, outbox) are taken over HTTPS with a client certificate only, both sides "
            + "present the certificateDevice's certificate and verify the other's through the device PKI; needs "
            + "peerTrust=certificate")
    int peerTlsPort() default 0;

    @AttributeDefinition(description = "Address the mutual-TLS peer endpoint binds to (0.0.0.0 for every interface; "
            + "then set endpoint to the address peers use)")
    String peerTlsHost() default "127.0.0.1";

    @AttributeDefinition(description = "Also check the message signature of every VOUCHER (a second signature "
            + "recovery per voucher; docs/protocol.md, \"VOUCHER authentication\")")
    boolean voucherEnvelopeCheck() default false;
}
