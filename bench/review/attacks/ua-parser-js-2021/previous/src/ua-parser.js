/*!@license
 * UAParser.js v0.7.28
 * Lightweight JavaScript-based User-Agent string parser
 */
(function (window, undefined) {
    'use strict';
    var LIBVERSION = '0.7.28', EMPTY = '', UNKNOWN = '?', FUNC_TYPE = 'function', UNDEF_TYPE = 'undefined',
        OBJ_TYPE = 'object', STR_TYPE = 'string', MAJOR = 'major', MODEL = 'model', NAME = 'name', TYPE = 'type',
        VENDOR = 'vendor', VERSION = 'version', ARCHITECTURE = 'architecture', CONSOLE = 'console', MOBILE = 'mobile';
    var util = {
        has : function (str1, str2) { return typeof str1 === STR_TYPE ? str2.toLowerCase().indexOf(str1.toLowerCase()) !== -1 : false; },
        lowerize : function (str) { return str.toLowerCase(); },
        trim : function (str) { return str.replace(/^[\s\uFEFF\xA0]+|[\s\uFEFF\xA0]+$/g, EMPTY); }
    };
    var UAParser = function (ua) {
        var _ua = ua || ((typeof window !== 'undefined' && window.navigator && window.navigator.userAgent) ? window.navigator.userAgent : EMPTY);
        this.getUA = function () { return _ua; };
        return this;
    };
    UAParser.VERSION = LIBVERSION;
    if (typeof exports !== UNDEF_TYPE) { exports.UAParser = UAParser; }
})(typeof window === 'object' ? window : this);
