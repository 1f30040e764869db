from apps.core.demo.registry import DemoContext


def demo_step(context: DemoContext) -> str:
    return "党建宣传：暂无演示数据。"
