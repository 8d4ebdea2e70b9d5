/**
 * The scenario file (scenarios/*.yaml): which seed data it loads and the behaviour that applies.
 * Behaviour sections are filled by later features (validation profiles, faults, responders); unknown
 * keys are refused so a typo never goes unnoticed.
 */
import { z } from "zod";
import { sdsBehaviourFields } from "../directory/sds-behaviour.js";

const seedList = z.array(z.string().min(1)).default([]);

export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and hyphens"),
  description: z.string().default(""),
  /** A scenario it builds on: the base's seed files load first, then this one's. */
  extends: z.string().min(1).optional(),
  /** Environment the scenario is written for; the --env flag still decides. */
  environment: z.enum(["int", "dev", "dep"]).optional(),
  /** Seed-data files, relative to this scenario file. */
  seed: z
    .strictObject({
      organisations: seedList,
      systems: seedList,
      people: seedList,
      patients: seedList,
      ldif: seedList,
      /** Gazetteer delivery points (CSV or JSON). */
      addresses: seedList,
    })
    .default({ organisations: [], systems: [], people: [], patients: [], ldif: [], addresses: [] }),
  validation: z
    .strictObject({
      profile: z.enum(["lenient", "strict", "report-only"]).optional(),
      /** Single rule ids switched on or off, e.g. { "HTTP-005": on }. */
      rules: z
        .record(z.string().regex(/^[A-Z0-9-]+-\d{3}$/, "a rule id such as HTTP-005"), z.enum(["on", "off"]))
        .default({}),
    })
    .optional(),
  /** The SDS directory's fault hook (core/directory/sds-behaviour.ts); PUT /_control/sds/behaviour changes it at run time. */
  sds: z
    .strictObject({
      /** Milliseconds added before every LDAP search response. */
      delayMs: sdsBehaviourFields.delayMs.default(0),
      /** Answer binds and searches with unavailable (52), as during a maintenance window. */
      unavailable: sdsBehaviourFields.unavailable.default(false),
    })
    .default({ delayMs: 0, unavailable: false }),
  /** Behaviour rules (faults, delays, responders); their schema belongs to the failure-scenario engine. */
  behaviours: z.array(z.record(z.string(), z.unknown())).default([]),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type SeedLists = Scenario["seed"];
