import { describe, expect, it } from "vitest";
import {
  type Consultation,
  daysText,
  figuresOf,
  impactReport,
  median,
  nextQuarter,
  percentText,
  quarterText,
} from "../../src/domain/impact.ts";

const at = (iso: string) => new Date(iso);

/** A consultation with the replies given as "source:outcome" ("here:informed", "elsewhere:-" for none). */
function consultation(id: string, closed: string, decided: string | null, replies: string[]): Consultation {
  return {
    recordId: id,
    title: `Record ${id}`,
    communityId: 1,
    closedAt: at(closed),
    decidedAt: decided === null ? null : at(decided),
    informedBy: [],
    replies: replies.map((r) => {
      const [source, outcome] = r.split(":") as [Consultation["replies"][number]["source"], string];
      return { source, outcome: outcome === "-" ? null : (outcome as "informed") };
    }),
  };
}

describe("median", () => {
  it("is the middle value, or the mean of the two middle ones", () => {
    expect(median([])).toBeNull();
    expect(median([4])).toBe(4);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([3.5, 1.5])).toBe(2.5);
    expect(median([10, 1, 2, 7])).toBe(4.5);
  });
});

describe("quarters", () => {
  it("follow each other across a year's end", () => {
    expect(nextQuarter("2026-Q3")).toBe("2026-Q4");
    expect(nextQuarter("2026-Q4")).toBe("2027-Q1");
  });

  it("are named by their months", () => {
    expect(quarterText("2026-Q2")).toBe("April to June 2026");
    expect(quarterText("2026-Q4")).toBe("October to December 2026");
  });
});

describe("figuresOf", () => {
  it("counts replies by where they came from and by outcome, the share informed and the median days to decision", () => {
    const figures = figuresOf("2026-Q2", [
      // Closed 1 May, decided 3.5 days later.
      consultation("a", "2026-05-01T00:00:00Z", "2026-05-04T12:00:00Z", [
        "here:informed",
        "connexo:informed",
        "connexo:acknowledged",
        "elsewhere:not-used",
      ]),
      // Closed 10 June, decided 1.5 days later.
      consultation("b", "2026-06-10T00:00:00Z", "2026-06-11T12:00:00Z", ["elsewhere:-"]),
      // Not decided: it counts as a consultation, not in the median.
      consultation("c", "2026-06-20T00:00:00Z", null, []),
    ]);
    expect(figures.consultations).toBe(3);
    expect(figures.replies).toEqual({ here: 1, connexo: 2, elsewhere: 2 });
    expect(figures.repliesTotal).toBe(5);
    expect(figures.outcomes).toEqual({ acknowledged: 1, informed: 2, referred: 0, "not-used": 1, none: 1 });
    expect(figures.shareInformed).toBe(0.4);
    expect(figures.medianDaysToDecision).toBe(2.5);
    expect(figures.decided.map((c) => c.recordId)).toEqual(["a", "b"]);
  });

  it("has no share without replies and no median without decisions", () => {
    const figures = figuresOf("2026-Q3", [consultation("a", "2026-07-01T00:00:00Z", null, [])]);
    expect(figures.shareInformed).toBeNull();
    expect(figures.medianDaysToDecision).toBeNull();
    expect(percentText(figures.shareInformed)).toBe("—");
    expect(daysText(figures.medianDaysToDecision)).toBe("—");
  });

  it("rounds the median to one decimal place", () => {
    // 1 day 6 hours (1.25) and 2 days: median 1.625, shown as 1.6.
    const figures = figuresOf("2026-Q3", [
      consultation("a", "2026-07-01T00:00:00Z", "2026-07-02T06:00:00Z", []),
      consultation("b", "2026-07-01T00:00:00Z", "2026-07-03T00:00:00Z", []),
    ]);
    expect(figures.medianDaysToDecision).toBe(1.6);
    expect(daysText(2)).toBe("2.0");
    expect(percentText(1 / 3)).toBe("33%");
  });
});

describe("impactReport", () => {
  it("counts each consultation in the quarter (UTC) it closed in, with every quarter between, and the totals", () => {
    const report = impactReport([
      consultation("late", "2026-12-31T23:59:59Z", null, ["here:referred"]),
      // 00:30 on 1 April in UTC is still March east of Greenwich, but UTC decides.
      consultation("april", "2026-04-01T00:30:00Z", null, ["connexo:informed"]),
    ]);
    expect(report.quarters.map((q) => [q.quarter, q.consultations, q.repliesTotal])).toEqual([
      ["2026-Q2", 1, 1],
      ["2026-Q3", 0, 0],
      ["2026-Q4", 1, 1],
    ]);
    expect(report.total.quarter).toBeNull();
    expect(report.total.consultations).toBe(2);
    expect(report.total.outcomes.referred).toBe(1);
    expect(report.total.shareInformed).toBe(0.5);
  });

  it("has no quarters when nothing has closed", () => {
    const report = impactReport([]);
    expect(report.quarters).toEqual([]);
    expect(report.total.consultations).toBe(0);
  });
});
