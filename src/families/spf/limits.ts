/** The processing limits of RFC 7208, each with the reason it exists. */

/**
 * RFC 7208 §4.6.4: at most 10 terms that cause DNS queries (include, a, mx, ptr, exists, redirect)
 * per check_host() evaluation, includes and redirects counted. Beyond it the result is permerror:
 * it stops one SPF check from making a receiver flood other people's DNS.
 */
export const MAX_DNS_TERMS = 10;

/**
 * RFC 7208 §4.6.4: at most 2 "void lookups" (NOERROR without answers, or NXDOMAIN) per evaluation
 * — the RFC's recommended default. Records built to make receivers query names that do not exist
 * are a known attack on third parties; a third void lookup is permerror.
 */
export const MAX_VOID_LOOKUPS = 2;

/** RFC 7208 §4.6.4: an "mx" mechanism whose MX lookup returns more than 10 records is permerror. */
export const MAX_MX_NAMES = 10;

/** RFC 7208 §4.6.4: "ptr" and %{p} validate at most the first 10 names of the PTR answer; the rest are ignored. */
export const MAX_PTR_NAMES = 10;

/**
 * RFC 7208 §4.6.4: a limit on the elapsed time of one check_host() evaluation, which "SHOULD allow
 * at least 20 seconds"; past it the result is temperror. Each lookup has its own timeout as well.
 */
export const MAX_EVALUATION_MS = 20_000;
