import type { FastifyRequest } from 'fastify';
import type { FeatureGroup } from '../../featurestore/feature-group.js';
import type { FeatureStore } from '../../featurestore/feature-store.js';
import type { FeatureView } from '../../featurestore/featureview/feature-view.js';
import type { FeatureStoreAction } from '../../platform/project-role.js';
import type { ServerContext } from '../server-context.js';
import { callerOf } from './rest-api.js';

/**
 * The feature store of a project, for the caller of a request and what it is about to do: a project it is not in
 * answers 404 PROJECT_NOT_FOUND as a missing one; a member whose key scope or role falls short gets 403. Routes call
 * it before they read a body or touch anything, so a refused request changes nothing.
 */
export async function featureStoreFor(ctx: ServerContext, request: FastifyRequest, project: string, action: FeatureStoreAction): Promise<FeatureStore> {
  const caller = callerOf(request);
  const view = await ctx.access.featureStoreProject(caller, project, action);
  // The server's Humle writes as the fs superuser; what it creates is recorded as the caller's.
  return (await ctx.humle.project(view.name)).featureStore({ creator: caller.user });
}

/** The feature group version a route's path names (`{project}/featuregroups/{name}/{version}`). */
export async function featureGroupFor(
  ctx: ServerContext,
  request: FastifyRequest,
  params: { project: string; name: string; version: string },
  action: FeatureStoreAction,
): Promise<FeatureGroup> {
  return (await featureStoreFor(ctx, request, params.project, action)).getFeatureGroup(params.name, Number(params.version));
}

/** The feature view version a route's path names (`{project}/featureviews/{name}/{version}`). */
export async function featureViewFor(
  ctx: ServerContext,
  request: FastifyRequest,
  params: { project: string; name: string; version: string },
  action: FeatureStoreAction,
): Promise<FeatureView> {
  return (await featureStoreFor(ctx, request, params.project, action)).getFeatureView(params.name, Number(params.version));
}

/**
 * The feature view version a vector route's path names, for reading vectors: the server's prepared view, shared by
 * every request (ServingViews), after the same rights check as featureViewFor.
 */
export async function servingViewFor(ctx: ServerContext, request: FastifyRequest, params: { project: string; name: string; version: string }): Promise<FeatureView> {
  const view = await ctx.access.featureStoreProject(callerOf(request), params.project, 'read');
  return ctx.servingViews.get(view.name, params.name, Number(params.version));
}
