// Which reservations belong to an attachment. Records hold `<id>\r\n<ifname>`; records written by old host-local
// versions hold only `<id>`. As in the reference, the legacy id-only records count only when no exact record exists.
import type { Owner, Reservation } from './store.ts';

export function reservationsOf(reservations: readonly Reservation[], owner: Owner): Reservation[] {
  const id = owner.containerId.trim();
  const exact = reservations.filter((r) => r.owner?.containerId === id && r.owner.ifName === owner.ifName);
  if (exact.length > 0) return exact;
  return reservations.filter((r) => r.owner?.containerId === id && r.owner.ifName === undefined);
}

/**
 * True if a reservation belongs to one of the valid attachments (GC). An id-only legacy record is matched by the
 * container id alone, or the first GC after an upgrade would release every legacy reservation. A record without an
 * owner (empty or unreadable) belongs to nobody.
 */
export function isHeldByAny(reservation: Reservation, valid: readonly Owner[]): boolean {
  const owner = reservation.owner;
  if (!owner) return false;
  return valid.some(
    (v) => v.containerId.trim() === owner.containerId && (owner.ifName === undefined || owner.ifName === v.ifName),
  );
}
