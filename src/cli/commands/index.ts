import type { Command } from "commander";
import * as validate from "./validate.js";
import * as synth from "./synth.js";
import * as plan from "./plan.js";
import * as deploy from "./deploy.js";
import * as rollback from "./rollback.js";
import * as destroy from "./destroy.js";
import * as output from "./output.js";
import * as status from "./status.js";
import * as cost from "./cost.js";
import * as quota from "./quota.js";
import * as catalog from "./catalog.js";
import * as init from "./init.js";
import * as graph from "./graph.js";
import * as schema from "./schema.js";
import * as doctor from "./doctor.js";
import * as completion from "./completion.js";

/**
 * Every command, in the order `--help` lists them. Each module exports `register(program)`
 * and must stay light at import time: heavy layers are imported inside the action.
 */
const COMMANDS = [init, validate, synth, plan, deploy, rollback, destroy, output, status, cost, quota, catalog, graph, schema, doctor, completion];

export function registerCommands(program: Command): void {
  for (const c of COMMANDS) c.register(program);
}
