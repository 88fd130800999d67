// Reads iCalendar files with Mozilla's ical.js (the parser of Thunderbird) and prints what
// a client would show as JSON: per event its UID, status, start and end as UTC instants,
// and for a recurring event every occurrence (RRULE minus EXDATE, overrides applied).
// Usage: node read_ics.mjs FILE... ; exits non-zero when ical.js refuses a file.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const MAX_OCCURRENCES = 200;

function instant(time) {
  return time ? time.toJSDate().toISOString() : null;
}

function occurrences(event) {
  const out = [];
  const it = event.iterator();
  for (let next = it.next(); next && out.length < MAX_OCCURRENCES; next = it.next()) {
    const details = event.getOccurrenceDetails(next);
    out.push({ recurrence_id: instant(details.recurrenceId),
               start: instant(details.startDate), end: instant(details.endDate) });
  }
  return out;
}

function readCalendar(text) {
  const root = new ICAL.Component(ICAL.parse(text));
  // A client resolves TZID through the VTIMEZONE of the same object (RFC 5545 3.6.5).
  for (const zone of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  }
  const vevents = root.getAllSubcomponents("vevent");
  const masters = new Map();
  for (const vevent of vevents) {
    if (!vevent.hasProperty("recurrence-id")) masters.set(vevent.getFirstPropertyValue("uid"), new ICAL.Event(vevent));
  }
  for (const vevent of vevents) {
    if (vevent.hasProperty("recurrence-id")) {
      const master = masters.get(vevent.getFirstPropertyValue("uid"));
      if (master) master.relateException(vevent);
    }
  }
  const events = vevents.map((vevent) => {
    const event = new ICAL.Event(vevent);
    const start = vevent.getFirstProperty("dtstart");
    return {
      uid: event.uid, summary: event.summary, location: event.location,
      status: vevent.getFirstPropertyValue("status"), sequence: event.sequence,
      tzid: start ? start.getParameter("tzid") : null,
      start: instant(event.startDate), end: instant(event.endDate),
      recurrence_id: instant(event.recurrenceId),
      organizer: vevent.getFirstPropertyValue("organizer"),
      attendees: vevent.getAllProperties("attendee").map((p) => p.getFirstValue()),
      occurrences: (!event.isRecurrenceException() && event.isRecurring())
        ? occurrences(masters.get(event.uid)) : null,
    };
  });
  return {
    method: root.getFirstPropertyValue("method"),
    name: root.getFirstPropertyValue("name"),
    x_wr_calname: root.getFirstPropertyValue("x-wr-calname"),
    refresh_interval: root.getFirstProperty("refresh-interval")?.getFirstValue()?.toString() ?? null,
    timezones: root.getAllSubcomponents("vtimezone").map((z) => z.getFirstPropertyValue("tzid")),
    events,
  };
}

const results = process.argv.slice(2).map((file) => readCalendar(readFileSync(file, "utf8")));
process.stdout.write(JSON.stringify(results));
