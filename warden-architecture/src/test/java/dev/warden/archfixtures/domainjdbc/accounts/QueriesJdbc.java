package dev.warden.archfixtures.domainjdbc.accounts;

/** Breaks domainImportsNoJdbc: an accounts class that talks JDBC. */
public class QueriesJdbc {
    java.sql.Connection connection;
}
