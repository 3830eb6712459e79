package dev.warden.archfixtures.postgreslayers.storage.postgres;

import dev.warden.archfixtures.postgreslayers.storage.sql.SqlTx;

/** Allowed by postgresDriverUsesOnlyStorage: the driver uses the shared SQL views. */
public class UsesItsLayers {
    SqlTx tx = new SqlTx();

    /** The driver's facade, as the log store uses it. */
    public static class Facade {}
}
