/**
 * The demo city's agencies, each the agency of its own domain, whose id is its place in the list
 * counting from 1. `npm start` creates them, `npm run demo` plays a day with them, and the
 * benchmarks and tests deploy the same four: this is the one list.
 */
export const DEMO_AGENCIES = ["volunteer", "transport", "culture", "environment"] as const;
export type DemoAgencyName = (typeof DEMO_AGENCIES)[number];

/** Each demo agency's domain id. */
export const DEMO_DOMAIN = Object.fromEntries(DEMO_AGENCIES.map((name, i) => [name, i + 1])) as { readonly [K in DemoAgencyName]: number };
