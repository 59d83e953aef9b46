/** @odoo-module **/
// widget="duret_datetime": a date and time shown to the minute ("05/12/2026 15:34"), as
// the suite's messages write them. Odoo 17.0's datetime field always shows the seconds
// and has no option to hide them; the time stamps of Chorus Pro and of the jobs carry
// seconds nobody reads.
import { registry } from "@web/core/registry";
import { formatDateTime } from "@web/core/l10n/dates";
import { localization } from "@web/core/l10n/localization";
import { DateTimeField, dateTimeField } from "@web/views/fields/datetime/datetime_field";

export function formatToTheMinute(value) {
    const format = localization.dateTimeFormat.replace(/:ss/, "");
    return formatDateTime(value, { format });
}

export class DateTimeMinutesField extends DateTimeField {
    getFormattedValue(valueIndex) {
        const value = this.values[valueIndex];
        return value ? formatToTheMinute(value) : "";
    }
}

registry.category("fields").add("duret_datetime", {
    ...dateTimeField,
    component: DateTimeMinutesField,
});
