/** What the simulator knows of each committed certificate, to check the sequences it saw. */
export interface CertificateInfo {
  round: number;
  parents: readonly string[];
}

export interface SequenceView {
  id: number;
  /** Certificate digests (hex) in output order. */
  sequence: readonly string[];
  /** Leader round of the sub-DAG each position belongs to. */
  leaderRounds: readonly number[];
}

export interface SafetyReport {
  ok: boolean;
  /** Human-readable violations (empty when ok), at most a few per kind. */
  violations: string[];
}

const MAX_REPORTED = 5;

/**
 * The safety properties every run must keep, over the honest validators' outputs:
 *  - consistency: every sequence is a prefix of the longest one (so of each other);
 *  - no certificate is output twice by one validator;
 *  - causality: a certificate's parent, if output at all, is output before it; a parent is left out
 *    only when it lies below the gc round of the commit that ordered its child.
 */
export function checkSafety(
  views: readonly SequenceView[],
  certificates: ReadonlyMap<string, CertificateInfo>,
  gcDepth: number,
): SafetyReport {
  const violations: string[] = [];
  const report = (text: string): void => {
    if (violations.length < MAX_REPORTED * 3) violations.push(text);
  };
  const longest = views.reduce<SequenceView | undefined>(
    (a, b) => (a === undefined || b.sequence.length > a.sequence.length ? b : a),
    undefined,
  );
  for (const view of views) {
    if (longest !== undefined && view !== longest) {
      const at = view.sequence.findIndex((d, i) => d !== longest.sequence[i]);
      if (at >= 0) {
        report(`validator ${view.id} diverges from validator ${longest.id} at position ${at}`);
      }
    }
    const position = new Map<string, number>();
    view.sequence.forEach((d, i) => {
      if (position.has(d)) report(`validator ${view.id} output ${d.slice(0, 16)} twice`);
      else position.set(d, i);
    });
    view.sequence.forEach((d, i) => {
      const info = certificates.get(d);
      if (info === undefined) return;
      for (const p of info.parents) {
        const at = position.get(p);
        if (at === undefined) {
          if (info.round - 1 >= (view.leaderRounds[i] ?? 0) - gcDepth) {
            report(`validator ${view.id} output ${d.slice(0, 16)} without its parent ${p.slice(0, 16)}`);
          }
        } else if (at > i) {
          report(`validator ${view.id} output ${d.slice(0, 16)} before its parent ${p.slice(0, 16)}`);
        }
      }
    });
  }
  return { ok: violations.length === 0, violations };
}
