import { Router } from 'express';
import { z } from 'zod';
import { liveUser, mustFind } from '../lookup';
import { numberedPage } from '../paging';
import { byName, type RoleRecord, type StateHolder } from '../state';
import { listParam, parseInput } from '../validate';
import { userRef } from '../views';

/**
 * Roles and their holders: `/api/v2/authorization/roles` — SDK models
 * DomainOrganizationRole, OrganizationRoleEntityListing,
 * UserReferenceEntityListing. Holding the seeded "Recording Administrator"
 * role is what gives an agent a recording-system account.
 */

const userIds = z.array(z.string().min(1)).min(1).max(100);

export function authorizationRoutes(holder: StateHolder): Router {
  const router = Router();

  router.get('/authorization/roles', (req, res) => {
    const name = typeof req.query.name === 'string' ? req.query.name.toLowerCase() : undefined;
    const ids = listParam(req.query.id);
    const roles = [...holder.state.roles.values()]
      .filter((r) => (name === undefined || r.name.toLowerCase() === name) && (ids.length === 0 || ids.includes(r.id)))
      .sort(byName);
    res.json(numberedPage(req, roles, roleView));
  });

  router.get('/authorization/roles/:roleId', (req, res) => {
    res.json(roleView(mustFind(holder.state.roles, req.params.roleId, 'Role')));
  });

  router.get('/authorization/roles/:roleId/users', (req, res) => {
    const role = mustFind(holder.state.roles, req.params.roleId, 'Role');
    res.json(numberedPage(req, [...role.userIds].sort(), userRef));
  });

  // Both answer with the list of user ids they were given (the SDK returns string[]).
  router.put('/authorization/roles/:roleId/users/add', (req, res) => {
    const role = mustFind(holder.state.roles, req.params.roleId, 'Role');
    const ids = parseInput(userIds, req.body);
    ids.forEach((id) => liveUser(holder.state, id));
    ids.forEach((id) => role.userIds.add(id));
    res.json(ids);
  });

  router.put('/authorization/roles/:roleId/users/remove', (req, res) => {
    const role = mustFind(holder.state.roles, req.params.roleId, 'Role');
    const ids = parseInput(userIds, req.body);
    ids.forEach((id) => role.userIds.delete(id));
    res.json(ids);
  });

  return router;
}

function roleView(role: RoleRecord) {
  return {
    id: role.id,
    name: role.name,
    description: role.description,
    permissions: role.permissions,
    userCount: role.userIds.size,
    baseLicense: role.baseLicense,
    addonLicenses: role.addonLicenses,
    base: false,
    default: role.isDefault,
    selfUri: `/api/v2/authorization/roles/${role.id}`,
  };
}
