/**
 * Device identity: device certificates issued by the owner's CA, their verification and revocation.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.iotpay.api.identity;
