/** Domains a monitoring test watches: one that passes, one that fails, one whose MX is answered late (when the test says so). */
export const WATCHED_ZONE = `
$ORIGIN watch.test.
$TTL 300
@            SOA  ns1 hostmaster 1 3600 600 86400 300
@            NS   ns1
ns1          A    192.0.2.53
good         MX   10 mail.good
mail.good    A    185.199.108.25
mail.good    AAAA 2a01:4f8:c17:1::25
broken       MX   10 smtp.broken
smtp.broken  CNAME mail.good
slow         MX   10 mail.good
`;
