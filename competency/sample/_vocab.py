"""Word lists of the sample organisation: names, regions and offices, comments.

Everything here is fixed data; the generator picks from these lists with
hashes of the seed, so the same seed always gives the same picks.
"""

from __future__ import annotations

# Common surnames, the most frequent ones listed twice so they come up more often.
SURNAMES = tuple(
    (
        "王 李 张 刘 陈 王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 "
        "许 韩 冯 邓 曹 彭 曾 肖 田 董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 "
        "谭 陆 汪 范 金 石 廖 贾 夏 韦 付 方 白 邹 孟 熊 秦 邱 江 尹 薛 闫 段 雷 侯 龙 史 陶 黎 贺 "
        "顾 毛 郝 龚 邵 万 钱 严 覃 武 戴 莫 孔 欧阳 上官"
    ).split()
)

# Given-name characters: the last character leans by gender, the first is shared.
GIVEN_FEMALE = tuple("丽静敏燕艳娟霞芳婷玲雪慧琳颖倩洁雯佳欣怡萍红梅璐瑶晶悦蕾涵琪")
GIVEN_MALE = tuple("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁浩宇峰健亮俊帆凯博昊然")
GIVEN_FIRST = tuple("文建子海晓春志嘉天一雨新家永国立小宏德安晨云丹思俊")

# Region keys (what rules read: `employee.region in ["east", "south"]`) and the
# city offices of each region; the first city is the regional head office.
REGIONS = ("east", "south", "north", "west", "central")
CITIES = {
    "east": ("上海", "杭州", "南京", "苏州", "合肥"),
    "south": ("广州", "深圳", "福州", "南宁", "海口"),
    "north": ("北京", "天津", "济南", "石家庄", "沈阳"),
    "west": ("成都", "重庆", "西安", "昆明", "兰州"),
    "central": ("武汉", "长沙", "郑州", "南昌", "太原"),
}
OFFICE_SUFFIX = "办事处"


def departments() -> tuple[str, ...]:
    """Office names in region order: five per region."""
    return tuple(f"{city}{OFFICE_SUFFIX}" for region in REGIONS for city in CITIES[region])


# Free-text comments by the tone of the score they go with. Chinese mostly, some
# English or both; none says who wrote it. Some hold commas and quotes on
# purpose, so that importers meet quoted CSV fields.
COMMENTS_HIGH = (
    "与客户沟通非常及时，客户信任度高。",
    "执行力强，目标明确，总能超额完成任务。",
    "乐于分享经验，对新同事帮助很大。",
    "遇到困难不退缩，很有韧性。",
    "对市场变化反应快，信息反馈准确。",
    '常说"客户第一"，也真正做到了。',
    "做事踏实可靠 / Reliable and hands-on.",
    "Always follows through, a real team player.",
)
COMMENTS_MIDDLE = (
    "整体表现良好，可以更主动一些。",
    "能按计划完成工作。",
    "客户拜访比较规律，建议多做总结。",
    "沟通顺畅，合作愉快。",
    "Solid work; could share market information more often.",
    "基本达到要求 / Meets expectations.",
)
COMMENTS_LOW = (
    "报表经常延迟提交，需要改进。",
    "建议加强时间管理和计划性。",
    "对竞争对手的信息掌握不足。",
    "遇到挫折容易消沉，需要更多支持。",
    "Needs to follow up with customers more consistently, especially on overdue payments.",
    "目标不够清晰，建议制定行动计划 / Set clearer goals and an action plan.",
)
