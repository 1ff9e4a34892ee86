/**
 * Figures a report carries that this page does not know by name yet (a newer worker's gate
 * figures, say): shown as plain facts rather than dropped, so a richer record needs no page
 * change to be read. Only simple values: text, numbers, booleans, lists and one level of object.
 */

type Simple = string | number | boolean | null;
const isSimple = (v: unknown): v is Simple =>
  v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** `initGrowthRatio` → `init growth ratio`. */
const words = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

/** [label, text] pairs for the fields of `report` outside `known`. */
export function extraFacts(report: object, known: ReadonlySet<string>): Array<[string, string]> {
  const facts: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(report)) {
    if (known.has(key) || value === undefined) continue;
    if (isSimple(value)) facts.push([words(key), String(value)]);
    else if (Array.isArray(value) && value.every(isSimple))
      facts.push([words(key), value.join('; ')]);
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [sub, v] of Object.entries(value)) {
        if (isSimple(v)) facts.push([`${words(key)}: ${words(sub)}`, String(v)]);
      }
    }
  }
  return facts;
}

/** The extra facts as a definition list, or nothing. */
export function ExtraFacts(props: { report: object; known: ReadonlySet<string> }) {
  const facts = extraFacts(props.report, props.known);
  if (facts.length === 0) return null;
  return (
    <dl class="facts extra">
      {facts.map(([label, text]) => (
        <>
          <dt>{label}</dt>
          <dd>{text}</dd>
        </>
      ))}
    </dl>
  );
}
