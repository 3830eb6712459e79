'use strict';
module.exports = { name: 'van-button', props: { type: String, size: String }, render: function (h) { return h('button', { class: 'van-button' }, this.$slots.default); } };
