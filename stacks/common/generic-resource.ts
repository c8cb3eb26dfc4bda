import type { TerraformMetaArguments, TerraformResourceConfig } from "cdktf";

/**
 * The `TerraformResource` config of a resource written through cdktf's generic class (no
 * prebuilt binding: azapi, google-beta's service identity): its type, its provider's name in
 * the metadata, and the meta-arguments a construct passes through (provider, depends_on, count,
 * lifecycle, for_each).
 */
export function genericResourceConfig(type: string, providerName: string, meta: TerraformMetaArguments): TerraformResourceConfig {
  return {
    terraformResourceType: type,
    terraformGeneratorMetadata: { providerName },
    provider: meta.provider,
    dependsOn: meta.dependsOn,
    count: meta.count,
    lifecycle: meta.lifecycle,
    forEach: meta.forEach,
  };
}
