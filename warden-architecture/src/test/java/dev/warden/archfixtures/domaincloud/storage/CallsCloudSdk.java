package dev.warden.archfixtures.domaincloud.storage;

/** Breaks domainImportsNoCloudSdk: a storage contract that names a cloud SDK. */
public class CallsCloudSdk {
    software.amazon.archfixture.CloudClient client;
}
