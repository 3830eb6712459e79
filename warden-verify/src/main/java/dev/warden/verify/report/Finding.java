package dev.warden.verify.report;

/**
 * One check's outcome for one package.
 *
 * @param check what was checked
 * @param status its outcome
 * @param message one line a person can act on: what was expected and what was found (for a WAIVED
 *     finding, the failure it waives; the exception's reason is added by the report)
 */
public record Finding(Check check, Status status, String message) {

    public static Finding pass(Check check, String message) {
        return new Finding(check, Status.PASS, message);
    }

    public static Finding info(Check check, String message) {
        return new Finding(check, Status.INFO, message);
    }

    public static Finding fail(Check check, String message) {
        return new Finding(check, Status.FAIL, message);
    }
}
