/** Parley's mark, inline so it needs no request and follows the theme. */
export function Logo({ size = 36 }: { readonly size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <rect width="64" height="64" rx="14" className="logo__tile" />
      <path
        d="M14 15h26a6 6 0 0 1 6 6v13a6 6 0 0 1-6 6H26l-8 7v-7h-4a6 6 0 0 1-6-6V21a6 6 0 0 1 6-6z"
        className="logo__front"
      />
      <circle cx="20" cy="27.5" r="2.6" className="logo__dot" />
      <circle cx="27" cy="27.5" r="2.6" className="logo__dot" />
      <circle cx="34" cy="27.5" r="2.6" className="logo__dot" />
    </svg>
  );
}
