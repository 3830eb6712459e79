package dev.warden.archfixtures.postgreslayers.log.postgres;

import dev.warden.archfixtures.postgreslayers.storage.postgres.UsesItsLayers.Facade;

/** Allowed by postgresLogStoreUsesOnlyTheLogCore: the log store uses the driver's facade. */
public class UsesItsLayers {
    Facade facade = new Facade();
}
