/** What a builder control needs: editing a draft, publishing a version, acting on runs. */
export type Ability = 'edit' | 'publish' | 'operate';

// Mirrors server/auth/route-access.ts (DESIGN, PUBLISH and RUNS); the server still refuses on its
// own, so a stale copy here could only hide or show a button wrongly, never grant anything.
const NEEDS: Record<Ability, readonly string[]> = {
  edit: ['admin', 'designer'],
  publish: ['admin', 'publisher'],
  operate: ['admin', 'operator'],
};

/** Whether a session with these roles may use controls of this kind. */
export function can(roles: readonly string[], ability: Ability): boolean {
  return roles.some((role) => NEEDS[ability].includes(role));
}
