/**
 * The SAML 1.1 answer of GET /saml/RoleAssertion (ssb.md §5; FSC saml_example.md): an unsigned
 * samlp:Response whose Assertion's Subject confirms the SSO session through a nested Sun Identity
 * authentication assertion, followed by the flat syntegra attributes (role-assertion.ts). A bad
 * token gets Requester/RequestDenied and no Assertion (R2).
 */
import { randomBytes } from "node:crypto";
import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces.js";
import type { SamlAttribute } from "../../core/ssb/role-assertion.js";

export const samlpNamespace = "urn:oasis:names:tc:SAML:1.0:protocol";
export const samlNamespace = "urn:oasis:names:tc:SAML:1.0:assertion";
export const attributeNamespace = "http://www.syntegra.com";
export const samlContentType = "text/xml; charset=UTF-8";

export interface RoleAssertionModel {
  readonly issuer: string;
  /** The client's IP address (Recipient, SubjectLocality). */
  readonly recipient: string;
  readonly now: Date;
  readonly authenticatedAt: Date;
  readonly ticket: string;
  readonly uid: string;
  readonly attributes: readonly SamlAttribute[];
}

const instant = (at: Date): string => at.toISOString().replace(/\.\d{3}Z$/, "Z");
const minutes = (at: Date, n: number): Date => new Date(at.getTime() + n * 60_000);
/** 41 lower-case hex digits (R3); the nested assertion's id ends in a non-hex letter, as observed. */
const assertionId = (nested: boolean): string =>
  randomBytes(21)
    .toString("hex")
    .slice(0, nested ? 40 : 41) + (nested ? "x" : "");

function response(model: { recipient: string; now: Date }): XMLBuilder {
  return create({ version: "1.0", encoding: "UTF-8" })
    .ele(samlpNamespace, "samlp:Response")
    .att("xmlns:saml", samlNamespace)
    .att("ResponseID", "null")
    .att("InResponseTo", "null")
    .att("MajorVersion", "1")
    .att("MinorVersion", "1")
    .att("IssueInstant", instant(model.now))
    .att("Recipient", model.recipient);
}

function assertion(parent: XMLBuilder, model: RoleAssertionModel, nested: boolean): XMLBuilder {
  const element = parent
    .ele(samlNamespace, "saml:Assertion")
    .att("MajorVersion", "1")
    .att("MinorVersion", "1")
    .att("AssertionID", assertionId(nested))
    .att("Issuer", model.issuer)
    .att("IssueInstant", instant(model.now));
  element
    .ele(samlNamespace, "saml:Conditions")
    .att("NotBefore", instant(minutes(model.now, -3)))
    .att("NotOnOrAfter", instant(minutes(model.now, 1)));
  return element;
}

function subject(parent: XMLBuilder, uid: string): { subject: XMLBuilder; confirmationData: XMLBuilder } {
  const element = parent.ele(samlNamespace, "saml:Subject");
  element
    .ele(samlNamespace, "saml:NameIdentifier")
    .att("NameQualifier", "o=nhs")
    .txt(`uid=${uid},ou=People,o=nhs`);
  const confirmation = element.ele(samlNamespace, "saml:SubjectConfirmation");
  confirmation.ele(samlNamespace, "saml:ConfirmationMethod").txt("urn:com:sun:identity");
  return {
    subject: element,
    confirmationData: confirmation.ele(samlNamespace, "saml:SubjectConfirmationData"),
  };
}

export function buildRoleAssertion(model: RoleAssertionModel): string {
  const root = response(model);
  root
    .ele(samlpNamespace, "samlp:Status")
    .ele(samlpNamespace, "samlp:StatusCode")
    .att("Value", "samlp:Success");
  const outer = assertion(root, model, false);
  const statement = outer.ele(samlNamespace, "saml:AttributeStatement");
  const { confirmationData } = subject(statement, model.uid);
  const inner = assertion(confirmationData, model, true);
  const authentication = inner
    .ele(samlNamespace, "saml:AuthenticationStatement")
    .att("AuthenticationInstant", instant(model.authenticatedAt))
    .att("AuthenticationMethod", "urn:com:sun:identity:ExtendedLoginModule");
  subject(authentication, model.uid).confirmationData.txt(model.ticket);
  authentication.ele(samlNamespace, "saml:SubjectLocality").att("IPAddress", model.recipient);
  for (const attribute of model.attributes) {
    const element = statement
      .ele(samlNamespace, "saml:Attribute")
      .att("AttributeName", attribute.name)
      .att("AttributeNamespace", attributeNamespace);
    for (const value of attribute.values) element.ele(samlNamespace, "saml:AttributeValue").txt(value);
  }
  return root.doc().end({ prettyPrint: true });
}

/** R2: unknown, expired or logged-out token. */
export function buildRoleAssertionDenied(model: { recipient: string; now: Date; message: string }): string {
  const root = response(model);
  const status = root.ele(samlpNamespace, "samlp:Status");
  status
    .ele(samlpNamespace, "samlp:StatusCode")
    .att("Value", "samlp:Requester")
    .ele(samlpNamespace, "samlp:StatusCode")
    .att("Value", "samlp:RequestDenied");
  status.ele(samlpNamespace, "samlp:StatusMessage").txt(model.message);
  return root.doc().end({ prettyPrint: true });
}
