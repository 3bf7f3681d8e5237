// What would allow a refused playback, in a sentence, from the reasons main gave.
export function whatWouldAllow(reasons: string): string {
  const text = reasons.toLowerCase();
  if (text.includes('destroyed') || text.includes('time to be kept ended'))
    return 'Nothing can bring it back: a destroyed recording is gone for good.';
  if (text.includes('revoked'))
    return 'Consent was taken back, so nothing recorded under it can be played.';
  if (text.includes('does not list'))
    return 'Only the people the signed consent lists may listen. New consent that lists you would allow it.';
  if (text.includes('not every participant has signed'))
    return 'It can be played once everyone in the session has signed.';
  if (text.includes('locked')) return 'Unlock the vault, then open the recording again.';
  return 'Only what the signed consent allows can be played.';
}
