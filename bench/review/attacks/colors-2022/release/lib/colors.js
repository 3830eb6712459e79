var colors = {};
module['exports'] = colors;
colors.themes = {};
var util = require('util');
var ansiStyles = colors.styles = require('./styles');
var defineProps = Object.defineProperties;
var newLineRegex = new RegExp(/[\r\n]+/g);
colors.supportsColor = require('./system/supports-colors').supportsColor;
if (typeof colors.enabled === 'undefined') {
  colors.enabled = colors.supportsColor() !== false;
}
colors.enable = function() { colors.enabled = true; };
colors.disable = function() { colors.enabled = false; };
colors.stripColors = colors.strip = function(str) {
  return ('' + str).replace(/\x1B\[\d+m/g, '');
};
colors.trap = require('./custom/trap');
colors.zalgo = require('./custom/zalgo');
colors.maps = {};
colors.maps.america = require('./maps/america')(colors);
