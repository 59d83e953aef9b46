/** @odoo-module **/
// A tour step's "run" that marks the screen for the screenshot helper
// (duret_procurement/tests/screens.py) and leaves the browser a moment to paint.

export function screen(name) {
    return async () => {
        console.log(`duret-screen:${name}`);
        await new Promise((resolve) => setTimeout(resolve, 300));
    };
}
