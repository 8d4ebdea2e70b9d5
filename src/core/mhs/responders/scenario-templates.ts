/**
 * Reply templates from the scenario: `behaviours` entries of the form
 *
 *   - respond:
 *       interaction: QUPA_IN000014UK01      # the request it answers
 *       reply: QUPA_IN000015UK01            # the reply interaction (wsa:Action / eb:Action)
 *       wrapper: someQueryResponse          # optional: the /sync-service body wrapper
 *       templateFile: templates/reply.xml   # or `template:` with the XML inline
 *
 * Other behaviour entries belong to other engines and are left alone. Read from the scenario file
 * itself (not from a base it extends). A template replaces a built-in responder.
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { SimError } from "../../errors.js";
import type { ReplyTemplate } from "./template.js";

const interactionId = z.string().regex(/^[A-Za-z0-9_]+$/, "an interaction id such as QUPA_IN040000UK32");

const respondRule = z.strictObject({
  respond: z
    .strictObject({
      interaction: interactionId,
      reply: interactionId,
      wrapper: z
        .string()
        .regex(/^[A-Za-z_][\w.-]*$/, "an XML element name")
        .optional(),
      template: z.string().min(1).optional(),
      templateFile: z.string().min(1).optional(),
    })
    .refine((r) => (r.template === undefined) !== (r.templateFile === undefined), {
      message: "give exactly one of template (inline XML) or templateFile (a path relative to the scenario)",
    }),
});

/** The reply templates a scenario file declares, by request interaction id. */
export function loadReplyTemplates(scenarioFile: string): Map<string, ReplyTemplate> {
  const document = parseYaml(readFileSync(scenarioFile, "utf8")) as { behaviours?: unknown } | null;
  const behaviours = Array.isArray(document?.behaviours) ? (document.behaviours as unknown[]) : [];
  const templates = new Map<string, ReplyTemplate>();
  behaviours.forEach((entry, index) => {
    if (typeof entry !== "object" || entry === null || !("respond" in entry)) return;
    const parsed = respondRule.safeParse(entry);
    if (!parsed.success) {
      const issues = parsed.error.issues.map(
        (i) => `${["behaviours", index, ...i.path].join(".")}: ${i.message}`,
      );
      throw new SimError(
        "SCENARIO_INVALID",
        `Scenario ${scenarioFile} has an invalid respond rule: ${issues.join("; ")}`,
        {
          hint: "A respond rule needs interaction, reply and template or templateFile; see docs/mhs.md.",
          details: { file: scenarioFile, index },
        },
      );
    }
    const { interaction, reply, wrapper, template, templateFile } = parsed.data.respond;
    let text = template;
    if (templateFile !== undefined) {
      const path = isAbsolute(templateFile) ? templateFile : join(dirname(scenarioFile), templateFile);
      try {
        text = readFileSync(path, "utf8");
      } catch (error) {
        throw new SimError("SCENARIO_INVALID", `Scenario ${scenarioFile}: cannot read templateFile ${path}`, {
          hint: "templateFile is relative to the scenario file.",
          details: { file: scenarioFile, index },
          cause: error,
        });
      }
    }
    templates.set(interaction, {
      reply,
      template: text ?? "",
      ...(wrapper === undefined ? {} : { wrapper }),
    });
  });
  return templates;
}
