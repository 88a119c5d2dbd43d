// The hidden field every form posted to Portico carries: its form token (keyed.ts), under the name `csrf`.
export const Csrf = ({ value }: { value: string }) => <input type="hidden" name="csrf" value={value} />;
