/**
 * Blueprint item names become construct ids next to a construct's fixed children
 * (`identity`, `lifecycle`, …); a clash would be a duplicate-id crash deep in cdktf. This
 * turns it into an error that names the item and the fix.
 */
export function assertNoReservedIds(section: string, items: readonly string[], reserved: readonly string[]): void {
  for (const item of items) {
    if (reserved.includes(item) || reserved.some((r) => r.endsWith("*") && item.startsWith(r.slice(0, -1)))) {
      throw new Error(
        `${section}: the name "${item}" is reserved on Azure (it names one of the section's own resources: ${reserved.join(", ")}); rename it`,
      );
    }
  }
}
