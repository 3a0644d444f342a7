/**
 * A strict structural check of SARIF 2.1.0 logs, for the objects mxlint writes. The official JSON
 * schema (sarif-schema-2.1.0.json, OASIS errata01) cannot be fetched in these tests, so the
 * definitions below restate it for every object on mxlint's path — sarifLog, run, tool,
 * toolComponent, reportingDescriptor, reportingConfiguration, multiformatMessageString, message,
 * result, location, physicalLocation, artifactLocation, region, logicalLocation, invocation,
 * propertyBag — with each object's full list of properties (additionalProperties: false, as in the
 * schema), the types, enums, minimums, required members and anyOf-required groups of the properties
 * mxlint uses, and the uri / uri-reference formats. Properties mxlint never writes are listed by name
 * only (`ANY`): writing one would still pass the name check, but not silently add an unknown one.
 * On top of the schema, the rules of the specification text that the schema cannot express:
 * §3.27.9/§3.27.10 (a kind other than "fail" requires level "none"), §3.27.6 (ruleIndex points at
 * the rule whose id is ruleId), §3.19.23 (reportingDescriptor ids unique in tool.driver.rules).
 */

interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  enum?: readonly string[];
  /** For objects: every property the specification defines; anything else is an error. */
  properties?: Record<string, Schema>;
  /** For objects whose members are free (property bags, dictionaries). */
  open?: boolean;
  required?: readonly string[];
  /** At least one of these groups must be present entirely (the schema's anyOf of required). */
  anyOfRequired?: readonly (readonly string[])[];
  items?: Schema;
  uniqueItems?: boolean;
  minimum?: number;
  maximum?: number;
  format?: 'uri' | 'uri-reference';
  ref?: DefinitionName;
}

type DefinitionName = 'sarifLog' | 'run' | 'tool' | 'toolComponent' | 'reportingDescriptor' | 'reportingConfiguration'
  | 'multiformatMessageString' | 'message' | 'result' | 'location' | 'physicalLocation' | 'artifactLocation' | 'region'
  | 'logicalLocation' | 'invocation' | 'propertyBag' | 'suppression';

const ANY: Schema = {};
const STRING: Schema = { type: 'string' };
const INDEX: Schema = { type: 'integer', minimum: -1 };
const LEVEL: Schema = { type: 'string', enum: ['none', 'note', 'warning', 'error'] };
const ref = (name: DefinitionName): Schema => ({ ref: name });
const arrayOf = (items: Schema, uniqueItems = false): Schema => ({ type: 'array', items, uniqueItems });

const DEFINITIONS: Record<DefinitionName, Schema> = {
  sarifLog: {
    type: 'object',
    properties: { $schema: { type: 'string', format: 'uri' }, version: { type: 'string', enum: ['2.1.0'] }, runs: arrayOf(ref('run')), inlineExternalProperties: ANY, properties: ref('propertyBag') },
    required: ['version', 'runs'],
  },
  run: {
    type: 'object',
    properties: {
      tool: ref('tool'), invocations: arrayOf(ref('invocation')), conversion: ANY, language: ANY, versionControlProvenance: ANY,
      originalUriBaseIds: ANY, artifacts: ANY, logicalLocations: ANY, graphs: ANY, results: arrayOf(ref('result')),
      automationDetails: ANY, runAggregates: ANY, baselineGuid: ANY, redactionTokens: ANY, defaultEncoding: ANY,
      defaultSourceLanguage: ANY, newlineSequences: ANY, columnKind: { type: 'string', enum: ['utf16CodeUnits', 'unicodeCodePoints'] },
      externalPropertyFileReferences: ANY, threadFlowLocations: ANY, taxonomies: ANY, addresses: ANY, translations: ANY,
      policies: ANY, webRequests: ANY, webResponses: ANY, specialLocations: ANY, properties: ref('propertyBag'),
    },
    required: ['tool'],
  },
  tool: { type: 'object', properties: { driver: ref('toolComponent'), extensions: ANY, properties: ref('propertyBag') }, required: ['driver'] },
  toolComponent: {
    type: 'object',
    properties: {
      guid: ANY, name: STRING, organization: ANY, product: ANY, productSuite: ANY, shortDescription: ref('multiformatMessageString'),
      fullDescription: ref('multiformatMessageString'), fullName: ANY, version: STRING, semanticVersion: STRING,
      dottedQuadFileVersion: ANY, releaseDateUtc: ANY, downloadUri: ANY, informationUri: { type: 'string', format: 'uri' },
      globalMessageStrings: ANY, notifications: ANY, rules: arrayOf(ref('reportingDescriptor'), true), taxa: ANY, locations: ANY,
      language: ANY, contents: ANY, isComprehensive: ANY, localizedDataSemanticVersion: ANY,
      minimumRequiredLocalizedDataSemanticVersion: ANY, associatedComponent: ANY, translationMetadata: ANY,
      supportedTaxonomies: ANY, properties: ref('propertyBag'),
    },
    required: ['name'],
  },
  reportingDescriptor: {
    type: 'object',
    properties: {
      id: STRING, deprecatedIds: ANY, guid: ANY, deprecatedGuids: ANY, name: STRING, deprecatedNames: ANY,
      shortDescription: ref('multiformatMessageString'), fullDescription: ref('multiformatMessageString'), messageStrings: ANY,
      defaultConfiguration: ref('reportingConfiguration'), helpUri: { type: 'string', format: 'uri' }, help: ref('multiformatMessageString'),
      relationships: ANY, properties: ref('propertyBag'),
    },
    required: ['id'],
  },
  reportingConfiguration: {
    type: 'object',
    properties: { enabled: { type: 'boolean' }, level: LEVEL, rank: { type: 'number', minimum: -1, maximum: 100 }, parameters: ANY, properties: ref('propertyBag') },
  },
  multiformatMessageString: { type: 'object', properties: { text: STRING, markdown: STRING, properties: ref('propertyBag') }, required: ['text'] },
  message: {
    type: 'object',
    properties: { text: STRING, markdown: STRING, id: STRING, arguments: arrayOf(STRING), properties: ref('propertyBag') },
    anyOfRequired: [['text'], ['id']],
  },
  result: {
    type: 'object',
    properties: {
      ruleId: STRING, ruleIndex: INDEX, rule: ANY,
      kind: { type: 'string', enum: ['notApplicable', 'pass', 'fail', 'review', 'open', 'informational'] },
      level: LEVEL, message: ref('message'), analysisTarget: ANY, locations: arrayOf(ref('location')), guid: ANY, correlationGuid: ANY,
      occurrenceCount: ANY, partialFingerprints: ANY, fingerprints: ANY, stacks: ANY, codeFlows: ANY, graphs: ANY,
      graphTraversals: ANY, relatedLocations: ANY, suppressions: arrayOf(ref('suppression'), true),
      baselineState: { type: 'string', enum: ['new', 'unchanged', 'updated', 'absent'] }, rank: ANY, attachments: ANY,
      hostedViewerUri: ANY, workItemUris: ANY, provenance: ANY, fixes: ANY, taxa: ANY, webRequest: ANY, webResponse: ANY,
      properties: ref('propertyBag'),
    },
    required: ['message'],
  },
  suppression: {
    type: 'object',
    properties: {
      guid: ANY, kind: { type: 'string', enum: ['inSource', 'external'] }, status: { type: 'string', enum: ['accepted', 'underReview', 'rejected'] },
      justification: STRING, location: ref('location'), properties: ref('propertyBag'),
    },
    required: ['kind'],
  },
  location: {
    type: 'object',
    properties: {
      id: INDEX, physicalLocation: ref('physicalLocation'), logicalLocations: arrayOf(ref('logicalLocation'), true), message: ref('message'),
      annotations: ANY, relationships: ANY, properties: ref('propertyBag'),
    },
  },
  physicalLocation: {
    type: 'object',
    properties: { address: ANY, artifactLocation: ref('artifactLocation'), region: ref('region'), contextRegion: ref('region'), properties: ref('propertyBag') },
    anyOfRequired: [['address'], ['artifactLocation']],
  },
  artifactLocation: {
    type: 'object',
    properties: { uri: { type: 'string', format: 'uri-reference' }, uriBaseId: STRING, index: INDEX, description: ref('message'), properties: ref('propertyBag') },
  },
  region: {
    type: 'object',
    properties: {
      startLine: { type: 'integer', minimum: 1 }, startColumn: { type: 'integer', minimum: 1 }, endLine: { type: 'integer', minimum: 1 },
      endColumn: { type: 'integer', minimum: 1 }, charOffset: INDEX, charLength: { type: 'integer', minimum: 0 }, byteOffset: INDEX,
      byteLength: { type: 'integer', minimum: 0 }, snippet: ANY, message: ref('message'), sourceLanguage: STRING, properties: ref('propertyBag'),
    },
    anyOfRequired: [['startLine'], ['charOffset'], ['byteOffset']],
  },
  logicalLocation: {
    type: 'object',
    properties: { name: STRING, index: INDEX, fullyQualifiedName: STRING, decoratedName: STRING, parentIndex: INDEX, kind: STRING, properties: ref('propertyBag') },
  },
  invocation: {
    type: 'object',
    properties: {
      commandLine: STRING, arguments: arrayOf(STRING), responseFiles: ANY, startTimeUtc: ANY, endTimeUtc: ANY, exitCode: { type: 'integer' },
      ruleConfigurationOverrides: ANY, notificationConfigurationOverrides: ANY, toolExecutionNotifications: ANY,
      toolConfigurationNotifications: ANY, exitCodeDescription: STRING, exitSignalName: ANY, exitSignalNumber: ANY,
      processStartFailureMessage: ANY, executionSuccessful: { type: 'boolean' }, machine: ANY, account: ANY, processId: ANY,
      executableLocation: ANY, workingDirectory: ANY, environmentVariables: ANY, stdin: ANY, stdout: ANY, stderr: ANY,
      stdoutStderr: ANY, properties: ref('propertyBag'),
    },
    required: ['executionSuccessful'],
  },
  propertyBag: { type: 'object', open: true, properties: { tags: arrayOf(STRING, true) } },
};

/** RFC 3986 characters; a % must start an escape. */
const URI_CHARACTERS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
const URI_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

function formatProblem(value: string, format: 'uri' | 'uri-reference'): string | null {
  if (!URI_CHARACTERS.test(value)) return `"${value}" has characters a URI cannot hold unescaped`;
  if (format === 'uri' && !URI_SCHEME.test(value)) return `"${value}" is not an absolute URI`;
  try {
    void (format === 'uri' ? new URL(value) : new URL(value, 'file:///base/'));
  } catch {
    return `"${value}" does not parse as a URI`;
  }
  return null;
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function validate(value: unknown, schema: Schema, path: string, problems: string[]): void {
  if (schema.ref !== undefined) {
    validate(value, DEFINITIONS[schema.ref], path, problems);
    return;
  }
  const actual = typeOf(value);
  if (schema.type !== undefined && actual !== schema.type && !(schema.type === 'number' && actual === 'integer')) {
    problems.push(`${path}: ${actual} where ${schema.type} belongs`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value as string)) problems.push(`${path}: "${String(value)}" is not one of ${schema.enum.join(', ')}`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${path}: ${value} < ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${path}: ${value} > ${schema.maximum}`);
  }
  if (typeof value === 'string' && schema.format) {
    const problem = formatProblem(value, schema.format);
    if (problem) problems.push(`${path}: ${problem}`);
  }
  if (Array.isArray(value)) {
    if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) problems.push(`${path}: items are not unique`);
    if (schema.items) value.forEach((item, i) => validate(item, schema.items!, `${path}[${i}]`, problems));
  }
  if (actual === 'object' && schema.properties) {
    const object = value as Record<string, unknown>;
    for (const [key, member] of Object.entries(object)) {
      const property = schema.properties[key];
      if (property === undefined) {
        if (!schema.open) problems.push(`${path}: "${key}" is not a property of this object in SARIF 2.1.0`);
        continue;
      }
      validate(member, property, `${path}.${key}`, problems);
    }
    for (const key of schema.required ?? []) if (!(key in object)) problems.push(`${path}: "${key}" is required`);
    if (schema.anyOfRequired && !schema.anyOfRequired.some((group) => group.every((key) => key in object))) {
      problems.push(`${path}: needs one of ${schema.anyOfRequired.map((g) => g.join('+')).join(' | ')}`);
    }
  }
}

interface LogShape {
  runs?: { tool?: { driver?: { rules?: { id?: string }[] } }; results?: { ruleId?: string; ruleIndex?: number; kind?: string; level?: string }[] }[];
}

/** Everything wrong with `log` as a SARIF 2.1.0 log, as far as this check reaches; [] when nothing is. */
export function sarifProblems(log: unknown): string[] {
  const problems: string[] = [];
  validate(log, DEFINITIONS.sarifLog, '$', problems);
  ((log as LogShape).runs ?? []).forEach((run, r) => {
    const rules = run.tool?.driver?.rules ?? [];
    const ids = rules.map((rule) => rule.id);
    if (new Set(ids).size !== ids.length) problems.push(`$.runs[${r}].tool.driver.rules: ids are not unique`);
    (run.results ?? []).forEach((result, i) => {
      const at = `$.runs[${r}].results[${i}]`;
      if ((result.kind ?? 'fail') !== 'fail' && result.level !== undefined && result.level !== 'none') {
        problems.push(`${at}: kind "${result.kind}" requires level "none" (§3.27.10), not "${result.level}"`);
      }
      if (result.ruleIndex !== undefined && ids[result.ruleIndex] !== result.ruleId) {
        problems.push(`${at}: ruleIndex ${result.ruleIndex} names rule ${ids[result.ruleIndex]}, not ${result.ruleId}`);
      }
    });
  });
  return problems;
}
