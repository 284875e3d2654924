/* src/export/eng_fhir_defs.c: the FHIR conformance resources of knod's own
 * (eng_fhir.h): the StructureDefinitions of the extensions that knod's
 * MeasureReports use, shipped in data/fhir/ and embedded in the binary
 * ("fhir/StructureDefinition-<id>.json"), written as one Bundle. Two
 * small files; read as they are, so what knod serves is what it ships.
 */
#include <stdio.h>
#include <string.h>

#include "base/embed.h"
#include "export/eng_fhir.h"

json_t *eng_fhir_definitions(void)
{
    json_t *b = json_pack("{s:s, s:s, s:s, s:[]}", "resourceType", "Bundle", "id",
                          "knod-definitions", "type", "collection", "entry");
    if (!b)
        return NULL;
    json_t *entries = json_object_get(b, "entry");
    for (unsigned i = 0; i < embed_count; i++) {
        const struct embed_file *f = &embed_files[i];
        if (strncmp(f->name, "fhir/StructureDefinition-", 25) != 0)
            continue;
        json_t *sd = json_loadb((const char *)f->data, f->len, 0, NULL);
        const char *url = json_string_value(json_object_get(sd, "url"));
        json_t *e = sd && url ? json_pack("{s:s, s:o}", "fullUrl", url, "resource", sd) : NULL;
        if (!e || json_array_append_new(entries, e) != 0) {
            if (!e)
                json_decref(sd);
            json_decref(b);
            return NULL;
        }
    }
    return b;
}

int eng_fhir_write_definitions(FILE *f, struct kn_error *err)
{
    json_t *b = eng_fhir_definitions();
    if (!b)
        return kn_fail(err, KN_ENOMEM, "cannot build the StructureDefinitions' Bundle");
    int rc = json_dumpf(b, f, JSON_INDENT(1)) != 0 || fputc('\n', f) == EOF;
    json_decref(b);
    return rc ? kn_fail(err, KN_EIO, "cannot write the StructureDefinitions") : 0;
}
