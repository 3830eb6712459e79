'use strict';
Object.defineProperty(exports, '__esModule', { value: true });
const util = require('./util');
class TinyColor {
    constructor(color = '', opts = {}) {
        if (color instanceof TinyColor) {
            return color;
        }
        this.originalInput = color;
        const rgb = util.inputToRGB(color);
        this.r = rgb.r;
        this.g = rgb.g;
        this.b = rgb.b;
        this.a = rgb.a;
        this.format = opts.format ?? rgb.format;
        this.isValid = rgb.ok;
    }
    isDark() { return this.getBrightness() < 128; }
    isLight() { return !this.isDark(); }
    getBrightness() { return (this.r * 299 + this.g * 587 + this.b * 114) / 1000; }
    toHexString() { return '#' + [this.r, this.g, this.b].map(x => Math.round(x).toString(16).padStart(2, '0')).join(''); }
}
exports.TinyColor = TinyColor;
exports.tinycolor = (color = '', opts = {}) => new TinyColor(color, opts);
