import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { Role } from '../../src/access/role.js';
import { PUBLIC_KEY, ROLES_KEY } from '../../src/access/roles.decorator.js';
import type { TestHerald } from './test-herald.js';

/** What a route declares: open to anyone, to any staff member, or to some roles (admin always). */
export type Access = { public: true } | { public: false; roles: Role[] };

export interface AppRoute {
  method: string;
  path: string;
  access: Access;
  /** False for routes no controller declares: the OpenAPI document and its UI. */
  declared: boolean;
}

/** Express route layers, as the running app's router holds them (Express 5: app.router). */
interface RouterLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

const joinPaths = (...parts: Array<string | undefined>) =>
  `/${parts
    .flatMap((part) => (part ?? '').split('/'))
    .filter(Boolean)
    .join('/')}`;

/** Each controller method's route and its @Public/@Roles metadata, read from the running app's modules. */
function declaredRoutes(hub: TestHerald): Map<string, Access> {
  const reflector = hub.herald.app.get(Reflector);
  const declared = new Map<string, Access>();
  for (const module of hub.herald.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!controller) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | undefined;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const targets = [handler, controller];
        const access: Access = reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)
          ? { public: true }
          : { public: false, roles: reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [] };
        for (const each of [path].flat()) declared.set(`${method} ${joinPaths(base, each)}`, access);
      }
    }
  }
  return declared;
}

/** Every admin and API route the running app's router serves, with what its handler declares. */
export function routesFromRouter(hub: TestHerald): AppRoute[] {
  const express = hub.herald.http!.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } };
  const declared = declaredRoutes(hub);
  const routes: AppRoute[] = [];
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    for (const path of [layer.route.path].flat()) {
      if (!/^\/(api|admin)(\/|$)/.test(path)) continue;
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (!on || method === '_all') continue;
        const access = declared.get(`${method.toUpperCase()} ${path}`);
        routes.push({ method: method.toUpperCase(), path, access: access ?? { public: true }, declared: access !== undefined });
      }
    }
  }
  return routes;
}
