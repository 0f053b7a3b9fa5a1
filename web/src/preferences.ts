/**
 * Display preferences kept in the browser: the language and the text size. These are the only
 * things the app ever writes to browser storage; nothing about a resident is kept there.
 */
export type PreferenceName = "lang" | "textSize";

const PREFIX = "cp.";

export function readPreference(name: PreferenceName): string | null {
  try {
    return window.localStorage.getItem(PREFIX + name);
  } catch {
    return null; // storage refused (private mode, policy): the defaults apply
  }
}

export function writePreference(name: PreferenceName, value: string): void {
  try {
    window.localStorage.setItem(PREFIX + name, value);
  } catch {
    // the choice then lasts until the page is closed
  }
}
